"""Template helpers for release figures and catalogue texts."""

from django import template

from rapor.catalogue.model import Text
from rapor.web.rendering import page_language

register = template.Library()


@register.filter
def text(value: Text) -> str:
    """A catalogue text in the page's language."""
    return value.get(page_language())
