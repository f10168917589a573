"""Template helpers for release figures and catalogue texts."""

from django import template
from django.utils.translation import get_language

from rapor.catalogue.model import Text

register = template.Library()


@register.filter
def text(value: Text) -> str:
    """A catalogue text in the page's language."""
    return value.get(get_language())


@register.simple_tag(takes_context=True)
def with_query(context, **changes) -> str:
    """The current selection's query string with some parameters changed, e.g. a sort order."""
    return "?" + context["selection"].query(**{k: str(v) for k, v in changes.items()})
