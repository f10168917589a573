"""Pusat Bantuan's published content: the user guide generated as PDF from the project's own
docs, the guides, infographics and video tutorials staff upload in the admin, and the views that
send their files to signed-in accounts."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from fpdf import FPDF
from pypdf import PdfReader

from rapor.catalogue import load_catalogue
from rapor.web.accounts.models import Account
from rapor.web.help import demo, guide
from rapor.web.help.models import Guide, Infographic, Video
from tests.web.conftest import body, png_bytes
from tests.web.test_beranda import parse

pytestmark = pytest.mark.usefixtures("uploads")
URL = "/bantuan/"
USER_GUIDE = "/bantuan/panduan/rapor-pendidikan.pdf"
SCRIPT = '<script>alert("x")</script>'
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01" + b"\x00" * 64
VTT = b"WEBVTT\n\n00:00.000 --> 00:03.000\nBuka laman Rapor Pendidikan.\n"


def pdf_bytes(text: str = "Panduan Dinas Kabupaten") -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=12)
    document.cell(text=text)
    return bytes(document.output())


def pdf_text(content: bytes) -> str:
    """The text a PDF reader finds, with line breaks and runs of spaces made single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def source_headings(language: str) -> list[str]:
    text = guide.source_path(language).read_text(encoding="utf-8")
    return re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE)


@pytest.fixture
def client(client_for) -> Client:
    return client_for("kabkota")


@pytest.fixture
def staff(client_for) -> Client:
    return client_for("pusat")


# ------------------------------------------------------------------ the generated user guide


@pytest.mark.parametrize(
    ("language", "filename", "title"),
    [
        ("id", "panduan-pengguna-rapor-pendidikan.pdf", "Panduan Pengguna Rapor Pendidikan"),
        ("en", "rapor-pendidikan-user-guide.pdf", "Rapor Pendidikan User Guide"),
    ],
)
def test_the_user_guide_is_a_pdf_of_the_docs_in_the_readers_language(
    client, language, filename, title
):
    """The guide downloads as a PDF whose text holds every heading of its Markdown source and
    every indicator of the catalogue, named as the catalogue names it in that language."""
    client.cookies["django_language"] = language
    response = client.get(USER_GUIDE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    content = body(response)
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert PdfReader(io.BytesIO(content)).metadata.title == title
    headings = source_headings(language)
    assert len(headings) >= 10
    missing = [heading for heading in headings if heading not in text]
    assert not missing
    for indicator in load_catalogue().all_indicators:
        assert f"{indicator.code} {indicator.name.get(language)}" in text


def test_the_user_guide_states_the_label_bands_of_the_catalogue(client):
    """The literacy indicator's bands appear as its label set defines them."""
    text = pdf_text(body(client.get(USER_GUIDE)))
    literacy = load_catalogue().indicator("A.1")
    kurang, sedang, baik = (band.label.id for band in literacy.bands)
    low = f"{literacy.bands[1].lower_bound:g}"
    high = f"{literacy.bands[2].lower_bound:g}"
    expected = (
        f"{kurang} di bawah {low}; {sedang} {low} sampai di bawah {high}; {baik} {high} ke atas"
    )
    assert expected in text


def test_pusat_bantuan_links_the_user_guide_first(client):
    page = parse(client.get(URL))
    links = page.one("section", "guides").find_all("a")
    assert links[0].attrs["href"] == USER_GUIDE
    assert links[0].text == "Panduan Pengguna Rapor Pendidikan"


# ------------------------------------------------------------------ guides staff upload


def add_guide(staff: Client, content: bytes, name: str = "panduan.pdf", **fields):
    data = {"title": "Panduan Dinas Kabupaten", "description": "", "order": "1"}
    data["is_published"] = "on"
    data.update(fields)
    return staff.post("/admin/help/guide/add/", {**data, "file": SimpleUploadedFile(name, content)})


def test_staff_upload_a_guide_that_everyone_signed_in_downloads(staff, client, uploads):
    response = add_guide(staff, pdf_bytes(), description="Untuk dinas kabupaten dan kota.")
    assert response.status_code == 302
    item = Guide.objects.get()
    assert (uploads / item.file.name).parent.name == "panduan"
    page = parse(client.get(URL))
    section = page.one("section", "guides")
    assert "Untuk dinas kabupaten dan kota." in section.text
    [link] = [a for a in section.find_all("a") if a.text == "Panduan Dinas Kabupaten"]
    download = client.get(link.attrs["href"])
    assert download["Content-Disposition"] == 'attachment; filename="panduan-dinas-kabupaten.pdf"'
    assert "Panduan Dinas Kabupaten" in pdf_text(body(download))


def test_a_file_that_is_not_a_pdf_is_refused(staff):
    page = parse(add_guide(staff, png_bytes(), name="panduan.pdf"))
    assert not Guide.objects.exists()
    assert "Berkas harus PDF yang isinya sesuai dengan namanya." in page.text


def test_an_unpublished_guide_is_neither_listed_nor_served(staff, client):
    add_guide(staff, pdf_bytes(), title="Draf panduan", is_published="")
    item = Guide.objects.get()
    assert "Draf panduan" not in client.get(URL).content.decode()
    assert client.get(f"/bantuan/panduan/{item.pk}/").status_code == 404


def test_a_guide_whose_file_is_gone_is_not_found(staff, client, uploads):
    add_guide(staff, pdf_bytes())
    item = Guide.objects.get()
    (uploads / item.file.name).unlink()
    assert client.get(f"/bantuan/panduan/{item.pk}/").status_code == 404


# ------------------------------------------------------------------ infographics


def add_infographic(staff: Client, content: bytes, name: str = "alur.png", **fields):
    data = {
        "title": "Penggunaan Platform",
        "description": "",
        "alt_text": "Alur data dari Dapodik, AN dan BPS menjadi Rapor Pendidikan.",
        "order": "1",
        "is_published": "on",
        **fields,
    }
    image = SimpleUploadedFile(name, content)
    return staff.post("/admin/help/infographic/add/", {**data, "image": image})


def test_an_infographic_shows_as_a_thumbnail_with_its_alt_text_and_enlarges(staff, client):
    assert add_infographic(staff, png_bytes()).status_code == 302
    item = Infographic.objects.get()
    page = parse(client.get(URL))
    [thumbnail] = page.one("section", "infographics").find_all("img")
    assert thumbnail.attrs["alt"] == item.alt_text
    link = page.one("section", "infographics").one("a")
    enlarged = parse(client.get(link.attrs["href"]))
    assert enlarged.one("h1").text == "Penggunaan Platform"
    [image] = enlarged.one("figure", "infographic-full").find_all("img")
    assert image.attrs["alt"] == item.alt_text
    response = client.get(image.attrs["src"])
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        not response.has_header("Content-Disposition")
        or "inline" in response["Content-Disposition"]
    )
    assert body(response) == png_bytes()


def test_an_infographic_needs_alt_text_and_a_real_image(staff):
    page = parse(add_infographic(staff, png_bytes(), alt_text=""))
    assert "Bidang ini tidak boleh kosong." in page.one("div", "field-alt_text").text
    page = parse(add_infographic(staff, pdf_bytes(), name="alur.png"))
    assert "Berkas harus PNG atau JPEG yang isinya sesuai dengan namanya." in page.text
    assert not Infographic.objects.exists()


# ------------------------------------------------------------------ video tutorials


def test_a_video_needs_a_file_or_a_link_and_something_to_read(staff):
    def add(**fields) -> str:
        data = {
            "title": "Cara masuk",
            "description": "",
            "link": "",
            "transcript": "",
            "order": "1",
            "is_published": "on",
        }
        return parse(staff.post("/admin/help/video/add/", {**data, **fields})).text

    assert "Unggah berkas video atau isi tautan video, salah satu saja." in add(transcript="Halo")
    both = add(
        link="https://video.example/cara-masuk",
        transcript="Halo",
        video_file=SimpleUploadedFile("cara-masuk.webm", WEBM),
    )
    assert "salah satu saja" in both
    assert "agar video dapat diikuti tanpa suara" in add(link="https://video.example/cara-masuk")
    assert not Video.objects.exists()


def test_an_uploaded_video_plays_with_captions_and_its_transcript(staff, client):
    response = staff.post(
        "/admin/help/video/add/",
        {
            "title": "Cara masuk",
            "description": "Masuk dengan akun belajar.id.",
            "link": "",
            "transcript": f"Buka laman Rapor Pendidikan. {SCRIPT}",
            "order": "1",
            "is_published": "on",
            "video_file": SimpleUploadedFile("cara-masuk.webm", WEBM),
            "captions": SimpleUploadedFile("cara-masuk.vtt", VTT),
        },
    )
    assert response.status_code == 302
    item = Video.objects.get()
    link = parse(client.get(URL)).one("section", "videos").one("a")
    response = client.get(link.attrs["href"])
    raw = response.content.decode()
    assert SCRIPT not in raw and "&lt;script&gt;" in raw
    page = parse(response)
    video = page.one("video")
    track = video.one("track")
    assert track.attrs["kind"] == "captions" and track.attrs["srclang"] == "id"
    assert "Buka laman Rapor Pendidikan." in page.one("details", "transcript").text
    played = client.get(video.attrs["src"])
    assert played["Content-Type"] == "video/webm" and body(played) == WEBM
    captions = client.get(track.attrs["src"])
    assert captions["Content-Type"] == "text/vtt; charset=utf-8" and body(captions) == VTT
    assert item.video_file.name.startswith("video/")


def test_a_linked_video_links_out_and_serves_no_file(client):
    item = Video.objects.create(
        title="Merdeka Belajar", link="https://video.example/episode-15", transcript="Transkrip."
    )
    page = parse(client.get(f"/bantuan/video/{item.pk}/"))
    assert page.one("a", "button").attrs["href"] == "https://video.example/episode-15"
    assert not page.find_all("video")
    assert client.get(f"/bantuan/video/{item.pk}/berkas/").status_code == 404
    assert client.get(f"/bantuan/video/{item.pk}/takarir/").status_code == 404


def test_without_content_the_sections_say_so(client):
    page = parse(client.get(URL))
    assert "Belum ada infografik." in page.one("section", "infographics").text
    assert "Belum ada video tutorial." in page.one("section", "videos").text


# ------------------------------------------------------------------ demo content


def test_the_demo_infographics_are_seeded_once(client, uploads):
    """`seed_demo_help` stores the guide's two infographics as a staff upload would; running it
    again adds nothing and keeps what staff changed."""
    call_command("seed_demo_help", stdout=io.StringIO())
    Infographic.objects.filter(title="Penggunaan Platform").update(alt_text="Diubah staf.")
    call_command("seed_demo_help", stdout=io.StringIO())
    titles = list(Infographic.objects.values_list("title", flat=True))
    assert titles == ["Kegunaan Rapor Pendidikan", "Penggunaan Platform"]
    assert Infographic.objects.get(title="Penggunaan Platform").alt_text == "Diubah staf."
    images = parse(client.get(URL)).one("section", "infographics").find_all("img")
    assert [image.attrs["alt"] for image in images] == [
        demo.DEMO_INFOGRAPHICS[0]["alt_text"],
        "Diubah staf.",
    ]
    served = body(client.get(images[0].attrs["src"]))
    assert served == (demo.DEMO_DIR / "kegunaan-rapor-pendidikan.png").read_bytes()


# ------------------------------------------------------------------ who edits content


def test_content_editors_edit_content_and_nothing_else(accounts):
    """A staff account in "Editor konten" works on the glossary, Pusat Bantuan and feedback in
    the admin, but cannot open accounts; staff outside the group can do neither."""
    editor = Account.objects.create(
        email="editor@dinas.belajar.id", name="Editor", role="pusat", is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Editor konten"))
    plain_staff = Account.objects.create(
        email="staf@dinas.belajar.id", name="Staf", role="pusat", is_staff=True
    )
    content_pages = (
        "/admin/help/guide/add/",
        "/admin/help/faqentry/add/",
        "/admin/glossary/term/add/",
        "/admin/help/ticket/",
        "/admin/feedback/feedback/",
    )
    for account, expected in ((editor, 200), (plain_staff, 403)):
        client = Client()
        client.force_login(account)
        assert [client.get(url).status_code for url in content_pages] == [expected] * 5
        assert client.get("/admin/accounts/account/").status_code == 403
