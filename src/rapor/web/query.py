"""Reading the query string: each parameter a page takes may be given once."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.utils.translation import gettext as _


def single_param(params: QueryDict, name: str) -> str:
    """The value of a parameter ("" when absent); given more than once, it is a bad request."""
    values = params.getlist(name)
    if len(values) > 1:
        raise BadRequest(_("Parameter “%(name)s” hanya boleh muncul sekali.") % {"name": name})
    return values[0] if values else ""
