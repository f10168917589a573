"""Beri Saran: a short feedback form reachable from the top bar of every page.

Without JavaScript it is a page of its own, which names the page the saran is about and, once
sent, redirects to a thank-you page (so a reload sends nothing again); with htmx the top-bar link
opens it as a dialog over the current page and the form posts into that dialog. Sending is
rate-limited per account (`RAPOR_FEEDBACK_RATE`), and a filled honeypot gets the thank-you
without anything being saved.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from rapor.web.abuse import setting_rate
from rapor.web.feedback.forms import FeedbackForm, safe_page


@login_required
@ratelimit(key="user", rate=setting_rate("RAPOR_FEEDBACK_RATE"), method="POST", block=True)
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest) -> HttpResponse:
    sent_from = None
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_spam:
            sent_from = safe_page(request.POST.get("page"))
        elif form.is_valid():
            form.instance.account = request.user
            sent_from = form.save().page
        if sent_from and not _in_dialog(request):
            # Post/Redirect/Get: reloading the thank-you page does not send the saran again.
            return redirect(f"{reverse('feedback:sent')}?{urlencode({'dari': sent_from})}")
    else:
        form = FeedbackForm(initial={"page": safe_page(request.GET.get("dari"))})
    # The page the saran is about, named on the form's own page (never another host's URL).
    about = safe_page(form["page"].value())
    return _page(request, {"form": form, "sent_from": sent_from, "about": about})


@login_required
@require_http_methods(["GET"])
def sent(request: HttpRequest) -> HttpResponse:
    """The thank-you page a form sent without JavaScript lands on."""
    return _page(request, {"sent_from": safe_page(request.GET.get("dari"))})


def _in_dialog(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _page(request: HttpRequest, context: dict) -> HttpResponse:
    """The dialog's content for htmx, else the page of its own."""
    template = "feedback/_dialog.html" if _in_dialog(request) else "feedback/feedback.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response
