"""The emails a ticket sends: its reference number to the sender, and each staff reply.

Both name the reference in the subject so a reply can be matched to its ticket in any mailbox.
They go through Django's email backend (`EMAIL_BACKEND`: files under `$RAPOR_HOME/mail` by
default, SMTP in production).
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.utils.translation import gettext as _

from rapor.web.help.models import Ticket, TicketReply


def send_ticket_received(ticket: Ticket) -> None:
    subject = _("[Rapor Pendidikan] Tiket %(reference)s diterima") % {"reference": ticket.reference}
    body = _(
        "Halo %(name)s,\n\n"
        "Pesan Anda sudah kami terima dengan nomor tiket %(reference)s.\n"
        "Sebutkan nomor ini bila menghubungi kami lagi tentang hal yang sama.\n\n"
        "Topik: %(topic)s\n\n%(message)s\n\n"
        "Tim Rapor Pendidikan"
    ) % {
        "name": ticket.name,
        "reference": ticket.reference,
        "topic": ticket.get_topic_display(),
        "message": ticket.message,
    }
    send_mail(subject, body, None, [ticket.email])


def send_reply(reply: TicketReply) -> None:
    ticket = reply.ticket
    subject = _("[Rapor Pendidikan] Balasan untuk tiket %(reference)s") % {
        "reference": ticket.reference
    }
    body = _(
        "Halo %(name)s,\n\n%(reply)s\n\n"
        "Status tiket %(reference)s: %(status)s.\n\n"
        "Tim Rapor Pendidikan"
    ) % {
        "name": ticket.name,
        "reply": reply.message,
        "reference": ticket.reference,
        "status": ticket.get_status_display(),
    }
    send_mail(subject, body, None, [ticket.email])
