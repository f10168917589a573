"""Glosarium: catalogue indicators and staff terms in one A-Z list, with search and letters.

Indicator names and definitions are compared with the catalogue itself, so the glossary cannot
drift from what the pipeline computes; staff terms come from the demo data migration.
"""

from __future__ import annotations

import importlib
import string
import unicodedata

import pytest
from django.apps import apps
from django.conf import settings

from rapor.catalogue import load_catalogue
from rapor.web.glossary.models import Term
from tests.web.test_beranda import Node, parse

URL = "/glosarium/"


def entries(page: Node) -> list[dict[str, str]]:
    """The glossary entries of a page, in page order."""
    return [
        {
            "term": node.one("dt").text,
            "definition": node.one("dd").text,
            "source": node.attrs["data-source"],
            "code": node.attrs.get("data-code", ""),
        }
        for node in page.find_all("div", "term")
    ]


def term_names(page: Node) -> list[str]:
    """The entries' terms without their source tag."""
    names = []
    for entry in entries(page):
        tag = f" Indikator {entry['code']}" if entry["code"] else ""
        assert entry["term"].endswith(tag)
        names.append(entry["term"].removesuffix(tag))
    return names


def fold(text: str) -> str:
    """Accents stripped and case folded, as a reader compares words."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@pytest.fixture
def client(client_for):
    return client_for("kabkota")


def get(client, query: str = "", status: int = 200, **headers: str) -> Node:
    return parse(client.get(URL + query, headers=headers), status)


def test_every_catalogue_indicator_appears_with_its_catalogue_definition(client):
    """Each catalogue indicator is listed once, with the catalogue's own name and definition."""
    by_code = {entry["code"]: entry for entry in entries(get(client)) if entry["code"]}
    indicators = load_catalogue().all_indicators
    assert set(by_code) == {indicator.code for indicator in indicators}
    for indicator in indicators:
        entry = by_code[indicator.code]
        assert entry["source"] == "indikator"
        assert entry["term"] == f"{indicator.name.get('id')} Indikator {indicator.code}"
        assert entry["definition"] == " ".join(indicator.definition.get("id").split())


@pytest.mark.parametrize(
    ("level", "ages"),
    [
        ("SD/MI/Paket A/SDLB", "7 (tujuh) sampai dengan 12 (dua belas) tahun"),
        ("SMP/MTs/Paket B/SMPLB", "13 (tiga belas) sampai dengan 15 (lima belas) tahun"),
        ("SMA/SMK/MA/MAK/Paket C/SMALB", "16 (enam belas) sampai dengan 18 (delapan belas) tahun"),
    ],
)
def test_guide_participation_terms_are_present(client, level, ages):
    """The guide's APK, APS and APM terms of a level are listed with its age range."""
    page = get(client)
    listed = dict(zip(term_names(page), entries(page), strict=True))
    for measure in ("Kasar (APK)", "Sekolah (APS)", "Murni (APM)"):
        entry = listed[f"Angka Partisipasi {measure} {level}"]
        assert ages in entry["definition"]


@pytest.mark.parametrize("acronym", ["(AN)", "(AKM)", "(Dapodik)", "(NPSN)", "(PKBM)", "(SLB)"])
def test_demo_acronyms_are_present(client, acronym):
    """The report's acronyms are listed as staff terms with a definition."""
    found = [entry for entry in entries(get(client)) if acronym in entry["term"]]
    assert len(found) == 1
    assert found[0]["source"] == "istilah" and found[0]["definition"]


@pytest.mark.parametrize("term", ["Kabupaten/Kota Serupa", "Rentang 95%", "Peringkat", "Capaian"])
def test_terms_of_the_comparisons_are_present(client, term):
    """The words the comparisons use (similar regions, the interval, ranks, labels) are
    explained: a planner asked what "Kabupaten/Kota serupa" and "Rentang 95%" mean."""
    found = [entry for entry in entries(get(client)) if entry["term"].startswith(term)]
    assert len(found) == 1 and found[0]["definition"]


def test_list_is_alphabetical(client):
    """Catalogue and staff terms form one list, ordered ignoring case, accents and punctuation."""
    Term.objects.create(term="“Éfektivitas”", definition="Contoh dengan tanda kutip.")
    names = term_names(get(client))
    assert names == sorted(names, key=lambda name: fold(name).lstrip(string.punctuation + "“”"))
    assert names.index("“Éfektivitas”") < names.index("Indeks Karakter")
    assert {entry["source"] for entry in entries(get(client))} == {"indikator", "istilah"}


def test_search_is_case_and_accent_insensitive(client):
    """A search without accents and in another case finds an accented term."""
    Term.objects.create(term="Kebinékaan", definition="Keberagaman yang diterima bersama.")
    assert "Kebinékaan" in term_names(get(client, "?q=kebinekaan"))
    assert "Kebinékaan" in term_names(get(client, "?q=KEBINÉKAAN"))


def test_search_matches_inside_definitions(client):
    """A word found only in a definition finds its term."""
    Term.objects.create(term="Zonasi", definition="Penerimaan menurut domisili peserta didik.")
    assert term_names(get(client, "?q=domisili")) == ["Zonasi"]


def test_term_matches_rank_before_definition_matches(client):
    """Every term containing the query comes before any term matching only in its definition."""
    Term.objects.create(term="Zebra literasi", definition="Istilah contoh.")
    Term.objects.create(term="Abjad", definition="Dasar literasi membaca.")
    found = entries(get(client, "?q=Literasi"))
    in_term = [fold("literasi") in fold(entry["term"]) for entry in found]
    assert in_term == sorted(in_term, reverse=True) and True in in_term and False in in_term
    names = [entry["term"] for entry in found]
    assert names.index("Zebra literasi") < names.index("Abjad")


def test_empty_search_result_says_so(client):
    """A search with no match says that nothing matched."""
    page = get(client, "?q=tidakadaistilahini")
    assert entries(page) == []
    assert "Tidak ada istilah yang cocok dengan pencarian Anda." in page.text


def test_search_form_submits_q_and_works_with_htmx(client):
    """The page has the guide's search form: a GET form with `q`, its placeholder and "Cari"."""
    page = get(client)
    assert page.one("h1").text == "Glosarium"
    assert "Temukan definisi dari istilah-istilah yang ada di Rapor Pendidikan." in page.text
    form = page.one("form", "glossary-search")
    assert form.attrs["method"] == "get" and form.attrs["hx-get"] == URL
    assert form.attrs["hx-target"] == form.attrs["hx-select"] == "#glossary-results"
    field = form.one("input", name="q")
    assert field.attrs["placeholder"] == "Cari istilah atau kata kunci"
    assert form.one("button").text == "Cari"


def test_letter_without_terms_is_disabled_and_not_a_link(client):
    """A letter no term starts with is a disabled span, not a link."""
    page = get(client)
    initials = {
        fold(name).lstrip(string.punctuation + "“”")[0].upper() for name in term_names(page)
    }
    unused = sorted(set(string.ascii_uppercase) - initials)
    assert unused, "the demo glossary leaves some letters unused"
    bar = page.one("nav", "alphabet")
    for letter in unused:
        assert [node.text for node in bar.find_all("span", "disabled")].count(letter) == 1
        assert letter not in [link.text for link in bar.find_all("a")]
    assert all(node.attrs["aria-disabled"] == "true" for node in bar.find_all("span", "disabled"))
    assert len(bar.find_all("a")) == len(initials & set(string.ascii_uppercase))


def test_letter_filter_shows_only_terms_starting_with_it(client):
    """?huruf=S lists every term starting with S and nothing else."""
    every = term_names(get(client))
    shown = term_names(get(client, "?huruf=S"))
    assert "Survei Karakter" in shown
    assert shown == [name for name in every if fold(name).startswith("s")]


def test_current_letter_is_marked(client):
    """The chosen letter's link carries aria-current, and no other does."""
    bar = get(client, "?huruf=A").one("nav", "alphabet")
    assert [link.text for link in bar.find_all("a", aria_current="true")] == ["A"]
    assert bar.one("a", href="?huruf=S")


@pytest.mark.parametrize(
    "query",
    [
        "?huruf=AB",
        "?huruf=1",
        "?huruf=%C3%84",
        "?huruf=%00",
        "?huruf=A&huruf=B",
        "?q=a&q=b",
        "?q=" + "a" * 101,
        "?q=literasi&huruf=K",
    ],
    ids=[
        "two letters",
        "digit",
        "accented",
        "NUL",
        "repeated huruf",
        "repeated q",
        "long q",
        "both",
    ],
)
def test_bad_input_is_a_400_page(client, query):
    """An invalid letter, a repeated parameter, a too long query, or both q and huruf get the 400
    page."""
    page = get(client, query, status=400)
    assert page.one("h1").text == "Permintaan tidak valid"


def test_query_of_the_maximum_length_is_accepted(client):
    """A query of exactly 100 characters is searched, not refused."""
    assert entries(get(client, "?q=" + "a" * 100)) == []


def test_htmx_request_gets_only_the_results_fragment(client):
    """An htmx request gets the results fragment alone, and responses vary on HX-Request."""
    response = client.get(URL + "?q=literasi", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    body = response.content.decode()
    assert "<html" not in body and "glossary-search" not in body
    page = parse(response)
    root = [child for child in page.children if isinstance(child, Node)]
    assert [node.attrs.get("id") for node in root] == ["glossary-results"]
    assert "Kemampuan Literasi" in term_names(page)


def test_htmx_history_restore_gets_the_full_page(client):
    """An htmx history restore (cache miss) gets the whole page."""
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert get(client, "?huruf=A", **headers).one("html")


def test_anonymous_visitor_is_sent_to_the_landing_page(db):
    """Without a signed-in account the glossary redirects to the landing page."""
    from django.test import Client

    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].split("?")[0] == "/"


def test_staff_adds_a_term_in_the_admin_and_it_appears(client_for):
    """A staff user adds a term in the Django admin and it is then listed on the page."""
    staff = client_for("pusat")
    assert staff.get("/admin/glossary/term/add/").status_code == 200
    response = staff.post(
        "/admin/glossary/term/add/",
        {
            "term": "Rapor Satuan Pendidikan",
            "definition": "Rapor milik satu satuan pendidikan.",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    listed = entries(get(staff, "?q=rapor satuan"))
    assert {
        "term": "Rapor Satuan Pendidikan",
        "definition": "Rapor milik satu satuan pendidikan.",
        "source": "istilah",
        "code": "",
    } in listed


def test_unpublished_terms_are_not_listed(client):
    """A term staff have not published does not appear."""
    Term.objects.create(term="Draf Istilah", definition="Belum siap.", is_published=False)
    assert "Draf Istilah" not in term_names(get(client))


def test_english_page_shows_the_catalogues_english_indicator_names(client):
    """With the English language cookie indicators are named and defined in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    by_code = {entry["code"]: entry for entry in entries(get(client)) if entry["code"]}
    apk = load_catalogue().indicator("APK-SD")
    assert by_code["APK-SD"]["term"].startswith(apk.name.get("en"))
    assert by_code["APK-SD"]["definition"] == " ".join(apk.definition.get("en").split())
    assert "Gross Enrolment Ratio (APK) SD/MI/Paket A/SDLB" in by_code["APK-SD"]["term"]


def test_demo_terms_migrations_reverse_cleanly(db):
    """Reversing the demo data migrations deletes the demo terms and leaves staff's own."""
    Term.objects.create(term="Istilah Staf", definition="Ditambahkan staf.")
    for name in ("0003_comparison_terms", "0002_demo_terms"):
        migration = importlib.import_module(f"rapor.web.glossary.migrations.{name}")
        migration.delete_terms(apps, None)
    assert list(Term.objects.values_list("term", flat=True)) == ["Istilah Staf"]
