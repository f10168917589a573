"""Site-wide pages that belong to no app."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

# Menu pages whose own issue has not landed yet (downloads).
COMING_SOON = {
    "unduh": _("Unduh"),
}


@login_required
def coming_soon(request: HttpRequest, page: str) -> HttpResponse:
    if page not in COMING_SOON:
        raise Http404
    return render(request, "coming_soon.html", {"title": COMING_SOON[page]})
