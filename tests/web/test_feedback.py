"""Beri Saran: the feedback form as a page and as an htmx dialog, its defences against bad input
and abuse, and the staff's view and CSV export in the admin."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from rapor.web.feedback.models import Feedback
from tests.web.test_beranda import parse

URL = "/saran/"
SCRIPT = '<script>alert("x")</script>'


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Sending is counted per account in the cache; start each test at zero."""
    cache.clear()


@pytest.fixture
def client(client_for) -> Client:
    return client_for("kabkota")


def send(client: Client, headers: dict[str, str] | None = None, **fields: str):
    data = {"rating": "4", "message": "Grafiknya jelas.", "page": "/wilayah/34/", **fields}
    return client.post(URL, data, headers=headers or {})


def test_feedback_is_saved_with_its_page_and_account(client, accounts):
    """Sent feedback is stored with its rating, message, page and account, and thanked for on
    a page of its own: reloading it sends nothing again (Post/Redirect/Get)."""
    response = send(client, page="/wilayah/34.71/?jenjang=dasar")
    assert response.status_code == 302
    assert response["Location"] == "/saran/terkirim/?dari=%2Fwilayah%2F34.71%2F%3Fjenjang%3Ddasar"
    page = parse(client.get(response["Location"]))
    assert "Terima kasih atas saran Anda." in page.text
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.message) == (4, "Grafiknya jelas.")
    assert feedback.page == "/wilayah/34.71/?jenjang=dasar"
    assert feedback.account == accounts["kabkota"]
    back = [a for a in page.find_all("a") if a.text == "Kembali ke halaman sebelumnya"]
    assert back[0].attrs["href"] == "/wilayah/34.71/?jenjang=dasar"
    client.get(response["Location"])
    assert Feedback.objects.count() == 1


def test_the_dialog_is_thanked_in_place(client):
    """Sent from the htmx dialog, the thank-you replaces the form inside the dialog."""
    response = send(client, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Terima kasih atas saran Anda." in parse(response).text
    assert Feedback.objects.count() == 1


def test_the_form_comes_prefilled_with_the_page_it_came_from(client):
    """The form remembers the local path given in `dari`, names it and links back to it."""
    page = parse(client.get(URL + "?dari=/wilayah/34/indikator/A.1/"))
    hidden = [i for i in page.find_all("input") if i.attrs.get("name") == "page"]
    assert hidden[0].attrs["value"] == "/wilayah/34/indikator/A.1/"
    about = page.one("section", "feedback").find_all("p", "meta")[0]
    assert about.text == "Tentang halaman /wilayah/34/indikator/A.1/ · Batal"
    assert {a.attrs["href"] for a in about.find_all("a")} == {"/wilayah/34/indikator/A.1/"}


@pytest.mark.parametrize(
    "dari",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "/wilayah/34/\x00",
    ],
)
def test_a_page_on_another_site_becomes_the_site_root(client, dari):
    """A `dari` or posted page that is not a path on this site (or holds a control character)
    is replaced by "/": the feedback is still sent."""
    page = parse(client.get(URL, {"dari": dari}))
    hidden = [i for i in page.find_all("input") if i.attrs.get("name") == "page"]
    assert hidden[0].attrs["value"] == "/"
    send(client, page=dari)
    assert Feedback.objects.get().page == "/"


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"rating": "9"}, "rating", "Pilih salah satu penilaian."),
        ({"rating": ""}, "rating", "Pilih salah satu penilaian."),
        ({"message": "   "}, "message", "Tuliskan saran Anda."),
        ({"message": "x" * 2001}, "message", "Saran paling panjang 2000 karakter"),
    ],
)
def test_invalid_input_shows_the_error_by_the_field_and_keeps_the_text(
    client, fields, field, error
):
    """Invalid input saves nothing and shows the form again with the error next to its field
    and what was typed still there."""
    data = {"message": "Tolong tambah data tahun 2020.", **fields}
    page = parse(send(client, **data))
    assert not Feedback.objects.exists()
    errors = [p for p in page.find_all("p", "field-error") if p.attrs["id"] == f"{field}-error"]
    assert error in errors[0].text
    textarea = page.one("textarea")
    assert textarea.text == " ".join(data["message"].split())


def test_errors_are_in_the_users_language(client):
    """An English reader gets the validation errors in English."""
    client.cookies["django_language"] = "en"
    body = send(client, rating="", message="").content.decode()
    assert "Choose one of the ratings." in body
    assert "Write your feedback." in body


def test_a_filled_honeypot_is_thanked_but_not_saved(client):
    """A bot that fills the hidden field gets the usual thank-you and nothing is stored."""
    page = parse(client.get(send(client, website="http://spam.example")["Location"]))
    assert "Terima kasih atas saran Anda." in page.text
    assert not Feedback.objects.exists()


def test_html_in_a_message_is_shown_inert(client, client_for):
    """A message with HTML and script is escaped on the thank-you, the form again and in the
    admin list."""
    assert (
        SCRIPT not in send(client, message=SCRIPT, headers={"HX-Request": "true"}).content.decode()
    )
    again = send(client, rating="", message=SCRIPT).content.decode()
    assert SCRIPT not in again and "&lt;script&gt;" in again
    admin_list = client_for("pusat").get("/admin/feedback/feedback/")
    assert admin_list.status_code == 200
    body = admin_list.content.decode()
    assert "&lt;script&gt;" in body and SCRIPT not in body


def test_an_htmx_request_gets_only_the_dialog(client):
    """With htmx the form comes as a dialog fragment, not a whole page, and posts into it."""
    headers = {"HX-Request": "true"}
    response = client.get(URL + "?dari=/glosarium/", headers=headers)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and body.lstrip().startswith("<dialog open")
    assert 'hx-post="/saran/"' in body and 'hx-target="#dialog"' in body
    assert "HX-Request" in response["Vary"]
    sent = send(client, headers=headers).content.decode()
    assert "<html" not in sent and "Terima kasih atas saran Anda." in sent


def test_every_page_links_to_the_form_with_its_own_path(client):
    """The top bar's "Beri Saran" opens the form (a page, or a dialog with htmx) for this page."""
    page = parse(client.get("/glosarium/?huruf=A"))
    link = next(a for a in page.find_all("a", "feedback-link"))
    assert link.attrs["href"] == "/saran/?dari=/glosarium/%3Fhuruf%3DA"
    assert link.attrs["hx-get"] == link.attrs["href"]
    assert link.attrs["hx-target"] == "#dialog"
    assert page.find_all("div") and any(d.attrs.get("id") == "dialog" for d in page.find_all("div"))


@override_settings(RAPOR_FEEDBACK_RATE="2/h")
def test_sending_is_rate_limited_per_account(client, client_for):
    """After the rate's number of sendings an account gets the 429 page; others still send."""
    assert send(client).status_code == 302  # to the thank-you page
    assert send(client).status_code == 302
    assert send(client).status_code == 429
    assert client.get(URL).status_code == 200  # reading the form is not counted
    assert send(client_for("provinsi")).status_code == 302
    assert Feedback.objects.count() == 3


def test_anonymous_visitors_are_sent_to_the_landing_page(db):
    """Signed-out visitors cannot send feedback: they go to the landing page."""
    response = Client().post(URL, {"rating": "5", "message": "Halo"})
    assert response.status_code == 302 and response["Location"].startswith("/?next=")
    assert not Feedback.objects.exists()


def test_staff_export_feedback_as_csv(client, client_for, accounts):
    """The admin's "Ekspor CSV" downloads the chosen feedback with a formula neutralized."""
    send(client, message='=HYPERLINK("http://evil.example")', rating="1")
    send(client_for("provinsi"), message="Bagus, terima kasih.", page="/wilayah/ID/")
    ids = [str(pk) for pk in Feedback.objects.values_list("pk", flat=True)]
    response = client_for("pusat").post(
        "/admin/feedback/feedback/", {"action": "export_csv", "_selected_action": ids}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="saran.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["created_at", "rating", "page", "account_email", "message"]
    by_email = {row[3]: row for row in rows[1:]}
    assert len(by_email) == 2
    formula = by_email[accounts["kabkota"].email]
    assert formula[1:3] == ["1", "/wilayah/34/"]
    assert formula[4] == '\'=HYPERLINK("http://evil.example")'
    assert by_email[accounts["provinsi"].email][4] == "Bagus, terima kasih."


def test_non_staff_cannot_export(client):
    """An account that is not staff cannot reach the feedback in the admin."""
    send(client)
    pk = str(Feedback.objects.get().pk)
    response = client.post(
        "/admin/feedback/feedback/", {"action": "export_csv", "_selected_action": [pk]}
    )
    assert response.status_code == 302 and "text/csv" not in response["Content-Type"]
