"""Beri Saran: a short feedback form reachable from the top bar of every page.

Without JavaScript it is a page of its own; with htmx the top-bar link opens it as a dialog over
the current page and the form posts into that dialog. Sending is rate-limited per account
(`RAPOR_FEEDBACK_RATE`), and a filled honeypot gets the thank-you without anything being saved.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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
    else:
        form = FeedbackForm(initial={"page": safe_page(request.GET.get("dari"))})
    context = {"form": form, "sent_from": sent_from}
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "feedback/_dialog.html", context)
    else:
        response = render(request, "feedback/feedback.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response
