"""Template helpers for release figures and catalogue texts."""

from django import template
from django.utils.translation import get_language

from rapor.catalogue.model import Text

register = template.Library()


@register.filter
def text(value: Text) -> str:
    """A catalogue text in the page's language."""
    return value.get(get_language())
