"""The English catalogue: complete, in step with the code, and served to English readers."""

from __future__ import annotations

import ast
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import translation

import rapor.web
from rapor.catalogue import load_catalogue
from rapor.web.dashboard.figures import Figure, schools_text
from tests.web.test_beranda import parse, school_table

WEB_DIR = Path(rapor.web.__file__).resolve().parent
PO_FILE = WEB_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file (header included, as the entry with msgid "")."""
    entries: list[Entry] = []
    entry = Entry()
    started = False  # the current entry has a msgid
    target: tuple[str, int | None] | None = None  # the keyword continuation lines extend

    def finish() -> None:
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = Entry(), False, None

    def append(keyword: str, index: int | None, text: str) -> None:
        if keyword == "msgstr":
            while len(entry.msgstr) <= (index or 0):
                entry.msgstr.append("")
            entry.msgstr[index or 0] += text
        else:
            setattr(entry, keyword, (getattr(entry, keyword) or "") + text)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
            if line.startswith("|"):
                continue  # the previous msgid of an obsolete entry
        elif line.startswith("#,"):
            if started:
                finish()
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        elif not line or line.startswith("#"):
            if not line:
                finish()
            continue
        if line.startswith('"'):
            assert target is not None, f"{path}: continuation line without keyword: {raw}"
            append(*target, ast.literal_eval(line))
            continue
        keyword, _, rest = line.partition(" ")
        index = None
        if keyword.startswith("msgstr["):
            index = int(keyword[len("msgstr[") : -1])
            keyword = "msgstr"
        if keyword in ("msgctxt", "msgid") and started and entry.msgstr:
            finish()  # entries without a blank line between them
        if keyword == "msgid":
            started = True
        target = (keyword, index)
        append(keyword, index, ast.literal_eval(rest))
    finish()
    return entries


def messages(path: Path) -> list[Entry]:
    """The live messages of a .po file: neither the header nor obsolete (#~) entries."""
    return [entry for entry in parse_po(path) if entry.msgid and not entry.obsolete]


def test_english_catalogue_is_complete():
    """Every Indonesian UI string has an English translation."""
    entries = messages(PO_FILE)
    assert entries
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    untranslated = [
        entry.msgid
        for entry in entries
        if not entry.msgstr
        or not all(entry.msgstr)
        or len(entry.msgstr) != (2 if entry.msgid_plural else 1)
    ]
    assert fuzzy == []
    assert untranslated == []
    # msgfmt --check: placeholders that match their msgid, a valid header, plural forms.
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(PO_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_english_catalogue_is_up_to_date(tmp_path, monkeypatch, settings):
    """The catalogue holds exactly the strings marked in the code and templates now."""
    copy = tmp_path / "web"
    shutil.copytree(WEB_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], no_location=True, verbosity=0)
    fresh = {entry.key for entry in messages(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    current = {entry.key for entry in messages(PO_FILE)}
    hint = "run `rapor web makemessages -l en --no-location` in src/rapor/web and translate"
    assert sorted(fresh - current, key=str) == [], f"strings missing from django.po: {hint}"
    assert sorted(current - fresh, key=str) == [], f"strings no longer in the code: {hint}"


@pytest.fixture(scope="session")
def compiled_locale(tmp_path_factory) -> Path:
    """A LOCALE_PATHS folder with django.mo compiled from the current django.po."""
    locale = tmp_path_factory.mktemp("locale")
    mo_dir = locale / "en" / "LC_MESSAGES"
    mo_dir.mkdir(parents=True)
    subprocess.run(
        ["msgfmt", "--check", "-o", str(mo_dir / "django.mo"), str(PO_FILE)],
        check=True,
        capture_output=True,
    )
    return locale


@pytest.fixture
def english_catalogue(compiled_locale, settings):
    """Translations from the current django.po (changing LOCALE_PATHS drops cached catalogues)."""
    settings.LOCALE_PATHS = [compiled_locale]


def test_beranda_follows_the_language_cookie(english_catalogue, client_for, accounts):
    """The kab/kota Beranda is in English with the language cookie, in Indonesian without it."""
    url = f"/wilayah/{accounts['kabkota'].region_code}/"

    indonesian = client_for("kabkota").get(url)
    assert indonesian.status_code == 200
    page = indonesian.content.decode()
    assert '<html lang="id">' in page
    assert "Tampilkan" in page
    assert "Keluar" in page

    client = client_for("kabkota")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url)
    assert english.status_code == 200
    page = english.content.decode()
    assert '<html lang="en">' in page
    assert "Sign out" in page
    assert "Show" in page
    assert "Tampilkan" not in page


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("/glosarium/", "Terms written by the Rapor Pendidikan team are in Indonesian only"),
        ("/bantuan/", "written by the Rapor Pendidikan team in Indonesian only"),
    ],
)
def test_english_pages_say_which_staff_content_is_indonesian(
    english_catalogue, client_for, url, said
):
    """The glossary and Pusat Bantuan say in English that the team's own entries are Indonesian
    (the two reviewers took them for untranslated pages); in Indonesian they say nothing."""
    client = client_for("kabkota")
    assert "Indonesian only" not in client.get(url).content.decode()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert said in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("language", "count", "shown"),
    [
        ("id", 1, "1 satuan pendidikan"),
        ("id", 23456, "23.456 satuan pendidikan"),
        ("en", 1, "1 school"),
        ("en", 23456, "23,456 schools"),
    ],
)
def test_counts_of_schools_read_the_same_everywhere(language, count, shown):
    """Cards, the "serupa" peers, comparison groups and workbooks say how many schools in one
    way: digits grouped as the reader's language groups them (the peers once wrote 23456)."""
    with translation.override(language):
        assert schools_text(count) == shown


def test_counts_of_students_and_teachers_are_in_the_readers_language():
    """A value's counts say one or many in the reader's language, each language its own, however
    often the same count was printed before in the other."""
    indicator = load_catalogue().indicators[0]
    one = Figure(indicator, 2024, 50.0, None, False, "", None, n_students=1, n_teachers=1)
    many = Figure(indicator, 2024, 50.0, None, False, "", None, n_students=1234, n_teachers=12)
    shown = {}
    for language in ("id", "en", "id"):
        with translation.override(language):
            shown[language] = (one.counts, many.counts)
    assert shown["id"] == (
        ["1 peserta didik", "1 guru dan kepala sekolah"],
        ["1.234 peserta didik", "12 guru dan kepala sekolah"],
    )
    assert shown["en"] == (
        ["1 student", "1 teacher or principal"],
        ["1,234 students", "12 teachers and principals"],
    )


def test_school_list_names_status_in_the_readers_language(english_catalogue, client_for, accounts):
    """The school list of an indicator page says "Public" on English pages (it printed the
    Indonesian "Negeri" in both languages)."""
    client = client_for("kabkota")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    url = f"/wilayah/{accounts['kabkota'].region_code}/indikator/A.1/?status=negeri"
    rows = school_table(parse(client.get(url)))
    assert rows and {row["status"] for row in rows} == {"Public"}
