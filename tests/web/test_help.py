"""Pusat Bantuan: the FAQ (grouped, searchable on SQLite and PostgreSQL, linkable answers), the
"Hubungi Kami" form with its tickets and emails, its defences against bad input and abuse, and
the staff inbox in the admin."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from rapor.web.help.models import FaqCategory, FaqEntry, Status, Ticket
from tests.web.conftest import body, png_bytes
from tests.web.test_beranda import parse

URL = "/bantuan/"
CONTACT = "/bantuan/hubungi/"
pytestmark = pytest.mark.usefixtures("uploads")
SCRIPT = '<script>alert("x")</script>'
IMPORTANT = (
    "Mengapa saya harus mengakses Rapor Pendidikan?",
    "Apa perbedaan antara Rapor Pendidikan dengan Rapor Mutu?",
    "Apa itu Rapor Pendidikan?",
)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Sending is counted per account in the cache; start each test at zero."""
    cache.clear()


@pytest.fixture
def client(client_for) -> Client:
    return client_for("kabkota")


def questions(page) -> list[str]:
    return [article.one("h3").text for article in page.find_all("article", "faq-entry")]


def send(client: Client, **fields):
    data = {
        "name": "Kepala Dinas",
        "email": "kadis@dinas.belajar.id",
        "topic": "data",
        "message": "Data APK kabupaten kami belum muncul.",
        **fields,
    }
    return client.post(CONTACT, data)


# ------------------------------------------------------------------ FAQ


def test_the_faq_is_grouped_by_category(client):
    """The page lists the FAQ under its categories, "Informasi Penting" first with the guide's
    three questions."""
    page = parse(client.get(URL))
    assert page.one("h1").text == "Pusat Bantuan"
    assert "Temukan informasi dan panduan seputar penggunaan Rapor Pendidikan" in page.text
    sections = page.find_all("section", "faq-category")
    assert [section.one("h2").text for section in sections][:2] == [
        "Informasi Penting",
        "Akun dan Akses",
    ]
    assert tuple(questions(sections[0])) == IMPORTANT
    menu = [a for a in page.find_all("a") if a.text == "Pusat Bantuan"]
    assert menu[0].attrs["href"] == URL and menu[0].attrs["aria-current"] == "page"


def test_each_answer_has_an_anchor_and_a_permalink(client):
    """Every answer carries an `faq-<pk>` anchor and links to its own page, which shows it."""
    entry = FaqEntry.objects.get(question=IMPORTANT[2])
    page = parse(client.get(URL))
    article = page.one("article", id=f"faq-{entry.pk}")
    link = article.find_all("a")[-1].attrs["href"]
    assert link == f"/bantuan/faq/{entry.pk}/"
    detail = parse(client.get(link))
    assert detail.one("h1").text == IMPORTANT[2]
    assert "laporan hasil evaluasi layanan pendidikan" in detail.text


def test_an_unpublished_entry_is_not_found(client):
    """An unpublished entry is missing from the list and its permalink is a 404."""
    entry = FaqEntry.objects.get(question=IMPORTANT[0])
    entry.is_published = False
    entry.save()
    assert IMPORTANT[0] not in questions(parse(client.get(URL)))
    assert client.get(f"/bantuan/faq/{entry.pk}/").status_code == 404


@pytest.mark.parametrize("query", ["SIMPKB", "simpk"])
def test_search_finds_a_word_of_an_answer(client, query):
    """A word (or the start of one) found only in an answer finds that entry."""
    page = parse(client.get(URL, {"q": query}))
    assert questions(page) == [IMPORTANT[1]]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite fallback")
def test_search_ignores_case_and_accents_on_sqlite(client):
    """On SQLite a query matches whatever its case and accents, every word anywhere."""
    page = parse(client.get(URL, {"q": "AKREDITASÍ  rapor"}))
    assert questions(page) == [IMPORTANT[1]]


def test_search_ranks_question_matches_first(client):
    """An entry whose question holds the words comes before one that has them in its answer."""
    category = FaqCategory.objects.create(name="Uji", order=0)
    FaqEntry.objects.create(
        category=category, order=1, question="Sesuatu yang lain", answer="Tentang zebrakuda."
    )
    FaqEntry.objects.create(
        category=category, order=2, question="Apa itu zebrakuda?", answer="Seekor hewan."
    )
    page = parse(client.get(URL, {"q": "zebrakuda"}))
    assert questions(page) == ["Apa itu zebrakuda?", "Sesuatu yang lain"]


def test_search_without_results_says_so(client):
    """A query that matches nothing says there is no matching answer."""
    page = parse(client.get(URL, {"q": "tidakadaapapun"}))
    assert questions(page) == []
    assert "Tidak ada jawaban yang cocok dengan pencarian Anda." in page.text


@pytest.mark.parametrize("params", [{"q": "x" * 101}, {"q": ["a", "b"]}])
def test_a_too_long_or_repeated_query_is_a_bad_request(client, params):
    """A query over 100 characters, or given twice, gets the 400 page."""
    assert client.get(URL, params).status_code == 400


# ------------------------------------------------------------------ contact form and tickets


def test_the_form_is_prefilled_from_the_account(client, accounts):
    """The name and email fields start with the signed-in account's."""
    page = parse(client.get(CONTACT))
    account = accounts["kabkota"]
    assert page.one("input", name="name").attrs["value"] == account.name
    assert page.one("input", name="email").attrs["value"] == account.email


def test_a_message_creates_a_ticket_shown_and_emailed(client, accounts):
    """A valid message opens a ticket, whose reference is on screen and emailed to the sender."""
    page = parse(send(client))
    ticket = Ticket.objects.get()
    year = timezone.localtime(ticket.created_at).year
    assert ticket.reference == f"RP-{year}-{ticket.pk:06d}"
    assert (ticket.status, ticket.topic) == (Status.NEW, "data")
    assert ticket.account == accounts["kabkota"]
    assert f"Nomor tiket Anda: {ticket.reference}" in page.text
    [email] = mail.outbox
    assert email.to == ["kadis@dinas.belajar.id"]
    assert ticket.reference in email.subject and ticket.reference in email.body


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"email": "bukan-email"}, "email", "Tuliskan alamat email yang benar"),
        ({"topic": "rahasia"}, "topic", "Pilih topik pesan Anda."),
        ({"name": " "}, "name", "Tuliskan nama Anda."),
        ({"message": "x" * 4001}, "message", "Pesan paling panjang 4000 karakter"),
    ],
)
def test_invalid_input_keeps_the_text_and_shows_the_error_by_the_field(
    client, fields, field, error
):
    """Invalid input opens no ticket and shows the form again with the error next to its field
    and the typed message still there."""
    data = {"message": "Mohon bantuan soal data.", **fields}
    page = parse(send(client, **data))
    assert not Ticket.objects.exists() and not mail.outbox
    errors = [p for p in page.find_all("p", "field-error") if p.attrs["id"] == f"{field}-error"]
    assert error in errors[0].text
    assert page.one("textarea").text == data["message"]


def test_errors_are_in_the_users_language(client):
    """An English reader gets the validation errors in English."""
    client.cookies["django_language"] = "en"
    body = send(client, topic="", message="").content.decode()
    assert "Choose the topic of your message." in body
    assert "Write your message." in body


def test_a_png_attachment_is_stored_in_the_private_uploads(client, uploads):
    """A real PNG is accepted and stored under RAPOR_UPLOADS_DIR with a name of its own."""
    upload = SimpleUploadedFile("layar.png", png_bytes(), content_type="image/png")
    send(client, attachment=upload)
    ticket = Ticket.objects.get()
    stored = uploads / ticket.attachment.name
    assert stored.read_bytes() == png_bytes()
    assert stored.suffix == ".png" and "layar" not in stored.name


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("surat.pdf", b"MZ\x90\x00 not a pdf", "Berkas harus PDF, PNG atau JPEG yang isinya"),
        ("layar.png", b"%PDF-1.7 a pdf named png", "Berkas harus PDF, PNG atau JPEG yang isinya"),
        ("besar.pdf", b"%PDF-1.7" + b"0" * (5 * 1024 * 1024), "Berkas paling besar 5 MB."),
    ],
)
def test_a_bad_attachment_is_rejected(client, uploads, name, content, error):
    """A file whose content is not what its name says, or over 5 MB, is refused next to the
    field, with a note to choose the file again; nothing is stored."""
    page = parse(send(client, attachment=SimpleUploadedFile(name, content)))
    assert not Ticket.objects.exists()
    errors = [p for p in page.find_all("p", "field-error") if p.attrs["id"] == "attachment-error"]
    assert error in errors[0].text
    assert "pilih lagi lampiran Anda" in page.one("p", id="attachment-again").text
    assert not uploads.exists() or not any(uploads.rglob("*.*"))


def test_a_filled_honeypot_opens_no_ticket(client):
    """A bot that fills the hidden field gets a thank-you, but no ticket and no email."""
    page = parse(send(client, website="http://spam.example"))
    assert "Terima kasih" in page.text and "Nomor tiket" not in page.text
    assert not Ticket.objects.exists() and not mail.outbox


def test_sending_is_rate_limited_per_account(client, client_for, settings):
    """After the rate's number of sendings an account gets the 429 page; others still send."""
    settings.RAPOR_CONTACT_RATE = "2/h"
    assert send(client).status_code == 200
    assert send(client).status_code == 200
    assert send(client).status_code == 429
    assert client.get(CONTACT).status_code == 200
    assert send(client_for("provinsi")).status_code == 200
    assert Ticket.objects.count() == 3


# ------------------------------------------------------------------ the staff inbox


def test_html_in_a_message_is_inert_in_the_admin(client, client_for):
    """A message with HTML and script is escaped on the staff's ticket list and change page."""
    send(client, message=SCRIPT, name=SCRIPT)
    ticket = Ticket.objects.get()
    staff = client_for("pusat")
    for url in ("/admin/help/ticket/", f"/admin/help/ticket/{ticket.pk}/change/"):
        response = staff.get(url, {"q": "alert"} if url.endswith("ticket/") else {})
        body = response.content.decode()
        assert response.status_code == 200
        assert SCRIPT not in body
    assert "&lt;script&gt;" in body


def test_staff_set_the_status_and_reply_by_email(client, client_for, accounts):
    """Staff change a ticket's status and write a reply, which is emailed to the sender with
    the reference in the subject."""
    send(client)
    ticket = Ticket.objects.get()
    mail.outbox.clear()
    response = client_for("pusat").post(
        f"/admin/help/ticket/{ticket.pk}/change/",
        {
            "status": "diproses",
            "replies-TOTAL_FORMS": "1",
            "replies-INITIAL_FORMS": "0",
            "replies-MIN_NUM_FORMS": "0",
            "replies-MAX_NUM_FORMS": "1000",
            "replies-0-ticket": str(ticket.pk),
            "replies-0-id": "",
            "replies-0-message": "Data APK tersedia pada rilis berikutnya.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    reply = ticket.replies.get()
    assert reply.author == accounts["pusat"]
    [email] = mail.outbox
    assert email.to == ["kadis@dinas.belajar.id"]
    assert ticket.reference in email.subject
    assert "Data APK tersedia pada rilis berikutnya." in email.body


def test_only_staff_download_an_attachment(client, client_for):
    """The attachment downloads for staff; for an account that is not staff it does not exist."""
    send(client, attachment=SimpleUploadedFile("layar.png", png_bytes()))
    ticket = Ticket.objects.get()
    url = f"/bantuan/tiket/{ticket.pk}/lampiran/"
    assert client.get(url).status_code == 404
    response = client_for("pusat").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'attachment; filename="{ticket.reference}.png"'
    assert body(response) == png_bytes()
    change = client_for("pusat").get(f"/admin/help/ticket/{ticket.pk}/change/").content.decode()
    assert f'href="{url}"' in change
