"""Pusat Bantuan: the FAQ (grouped by category, searchable, each answer with its own link) and
"Hubungi Kami", the contact form that opens a ticket.

The FAQ query string takes `q` only (at most `MAX_QUERY_LENGTH` characters, once; anything else
is a 400). Sending the contact form is rate-limited per account (`RAPOR_CONTACT_RATE`); a filled
honeypot gets the confirmation page without a number, and nothing is saved or emailed.
Attachments are served to staff only, from the private upload storage.
"""

from __future__ import annotations

import logging
import os
import smtplib

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from rapor.web.abuse import setting_rate
from rapor.web.help import emails
from rapor.web.help.forms import ContactForm
from rapor.web.help.models import FaqCategory, FaqEntry, Ticket
from rapor.web.help.search import published, search
from rapor.web.query import single_param

logger = logging.getLogger(__name__)
MAX_QUERY_LENGTH = 100
MENU = "bantuan"
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


def parse_query(request: HttpRequest) -> str:
    query = single_param(request.GET, "q")
    if len(query) > MAX_QUERY_LENGTH:
        raise BadRequest(
            _("Kata kunci pencarian paling panjang %(max)d karakter.") % {"max": MAX_QUERY_LENGTH}
        )
    return " ".join(query.split())


@login_required
def index(request: HttpRequest) -> HttpResponse:
    query = parse_query(request)
    context = {"query": query, "menu": MENU}
    if query:
        context["results"] = search(query)
    else:
        entries = published()
        groups = {category: [] for category in FaqCategory.objects.all()}
        for entry in entries:
            groups.setdefault(entry.category, []).append(entry)
        context["groups"] = [(category, items) for category, items in groups.items() if items]
    return render(request, "help/index.html", context)


@login_required
def faq_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(FaqEntry.objects.select_related("category"), pk=pk, is_published=True)
    return render(request, "help/faq_detail.html", {"entry": entry, "menu": MENU})


@login_required
@ratelimit(key="user", rate=setting_rate("RAPOR_CONTACT_RATE"), method="POST", block=True)
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    ticket, sent = None, False
    if request.method == "POST":
        form = ContactForm(request.POST, request.FILES)
        if form.is_spam:
            sent = True
        elif form.is_valid():
            form.instance.account = request.user
            ticket = form.save()
            try:
                emails.send_ticket_received(ticket)
            except (OSError, smtplib.SMTPException):
                # The ticket is saved and its number is on screen; a mail outage must not hide it.
                logger.exception("could not email ticket %s", ticket.reference)
            sent = True
    else:
        form = ContactForm(initial={"name": request.user.name, "email": request.user.email})
    return render(
        request, "help/contact.html", {"form": form, "ticket": ticket, "sent": sent, "menu": MENU}
    )


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """A ticket's attachment, for staff only; to anyone else the page does not exist."""
    if not request.user.is_staff:
        raise Http404
    ticket = get_object_or_404(Ticket, pk=pk)
    if not ticket.attachment:
        raise Http404
    extension = os.path.splitext(ticket.attachment.name)[1].lower()
    with ticket.attachment.open("rb") as file:
        content = file.read()
    content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{ticket.reference}{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
