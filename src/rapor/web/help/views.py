"""Pusat Bantuan: the FAQ (grouped by category, searchable, each answer with its own link), the
user guides (the generated one first), infographics, video tutorials, and "Hubungi Kami", the
contact form that opens a ticket.

The FAQ query string takes `q` only (at most `MAX_QUERY_LENGTH` characters, once; anything else
is a 400). Sending the contact form is rate-limited per account (`RAPOR_CONTACT_RATE`); a filled
honeypot gets the confirmation page without a number, and nothing is saved or emailed.
Published files are sent to anyone signed in, a ticket's attachment to staff only, all from the
private upload storage; unpublished content is a 404 like content that does not exist.
"""

from __future__ import annotations

import io
import logging
import smtplib

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from rapor.web.abuse import setting_rate
from rapor.web.help import emails
from rapor.web.help import guide as user_guide_pdf
from rapor.web.help.files import extension, file_response, stored_file_response
from rapor.web.help.forms import ContactForm
from rapor.web.help.models import FaqCategory, FaqEntry, Guide, Infographic, Ticket, Video
from rapor.web.help.search import published, search
from rapor.web.query import single_param

logger = logging.getLogger(__name__)
MAX_QUERY_LENGTH = 100
MENU = "bantuan"


def parse_query(request: HttpRequest) -> str:
    query = single_param(request.GET, "q")
    if len(query) > MAX_QUERY_LENGTH:
        raise BadRequest(
            _("Kata kunci pencarian paling panjang %(max)d karakter.") % {"max": MAX_QUERY_LENGTH}
        )
    if "\x00" in query:  # PostgreSQL text cannot hold it: the search would be a server error
        raise BadRequest(_("Kata kunci pencarian berisi karakter yang tidak dapat dicari."))
    return " ".join(query.split())


@login_required
def index(request: HttpRequest) -> HttpResponse:
    query = parse_query(request)
    context = {
        "query": query,
        "menu": MENU,
        "guides": Guide.objects.filter(is_published=True),
        "infographics": Infographic.objects.filter(is_published=True),
        "videos": Video.objects.filter(is_published=True),
    }
    if query:
        context["results"] = search(query)
        count = len(context["results"])
        context["status"] = ngettext(
            "%(counter)s jawaban cocok dengan “%(query)s”.",
            "%(counter)s jawaban cocok dengan “%(query)s”.",
            count,
        ) % {"counter": count, "query": query}
    else:
        entries = published()
        groups = {category: [] for category in FaqCategory.objects.all()}
        for entry in entries:
            groups.setdefault(entry.category, []).append(entry)
        context["groups"] = [(category, items) for category, items in groups.items() if items]
    return render(request, "help/index.html", context)


@login_required
def faq_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = published_item(FaqEntry.objects.select_related("category"), pk)
    return render(request, "help/faq_detail.html", {"entry": entry, "menu": MENU})


def published_item(items: type[Model] | QuerySet, pk: int) -> Model:
    """A published FAQ entry, guide, infographic or video; a 404 for a draft, as for nothing."""
    return get_object_or_404(items, pk=pk, is_published=True)


@login_required
def user_guide(request: HttpRequest) -> HttpResponse:
    """The user guide generated from the project's own docs, in the page's language."""
    language = get_language()
    pdf = user_guide_pdf.guide_pdf(language)
    return file_response(io.BytesIO(pdf), "guide.pdf", user_guide_pdf.filename(language))


@login_required
def guide(request: HttpRequest, pk: int) -> HttpResponse:
    item = published_item(Guide, pk)
    return stored_file_response(item.file, f"{slugify(item.title) or 'panduan'}.pdf")


@login_required
def infographic(request: HttpRequest, pk: int) -> HttpResponse:
    item = published_item(Infographic, pk)
    return render(request, "help/infographic.html", {"infographic": item, "menu": MENU})


@login_required
def infographic_image(request: HttpRequest, pk: int) -> HttpResponse:
    return stored_file_response(published_item(Infographic, pk).image)


@login_required
def video(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "help/video.html", {"video": published_item(Video, pk), "menu": MENU})


@login_required
def video_file(request: HttpRequest, pk: int) -> HttpResponse:
    return stored_file_response(published_item(Video, pk).video_file)


@login_required
def video_captions(request: HttpRequest, pk: int) -> HttpResponse:
    return stored_file_response(published_item(Video, pk).captions)


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
    return stored_file_response(
        ticket.attachment, f"{ticket.reference}{extension(ticket.attachment.name)}"
    )
