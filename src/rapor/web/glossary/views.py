"""Glosarium: indicator terms from the catalogue and staff-edited terms, in one A-Z list.

The catalogue is the single source of indicator names and definitions, so they cannot drift from
the computation; it never changes within a process, so its entries are built once per language.
Staff terms (`Term`, Indonesian only) are read on every request: the table is small.

Query string: `q` searches terms and definitions (case- and accent-insensitive; every term match
ranks before any definition match), `huruf` shows the terms starting with one letter A-Z. They are
exclusive: a request with both (non-empty) is a 400, as is a repeated parameter, a `huruf` that is
not one letter, or a `q` longer than `MAX_QUERY_LENGTH`.
"""

from __future__ import annotations

import functools
import itertools
import string
import unicodedata
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from rapor.catalogue import load_catalogue
from rapor.web.glossary.models import Term
from rapor.web.query import single_param

MAX_QUERY_LENGTH = 100
LETTERS = tuple(string.ascii_uppercase)
INDICATOR = "indikator"  # entry sources
STAFF = "istilah"


def normalize(text: str) -> str:
    """Text for comparing: accents stripped (NFKD without combining marks), case-folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Entry:
    term: str
    definition: str
    source: str  # INDICATOR or STAFF
    code: str = ""  # the indicator code, for catalogue entries

    @functools.cached_property
    def folded_term(self) -> str:
        return normalize(self.term)

    @functools.cached_property
    def folded_definition(self) -> str:
        return normalize(self.definition)

    @functools.cached_property
    def sort_key(self) -> tuple[str, str, str]:
        # Leading punctuation ("(e)Rapor", "“Kuantil”") does not decide the place in the list.
        return (
            self.folded_term.lstrip(string.punctuation + "\u201c\u201d\u2018\u2019 "),
            self.term,
            self.code,
        )

    @property
    def letter(self) -> str:
        """The A-Z letter the entry is listed under ("" for one starting with a digit)."""
        first = self.sort_key[0][:1].upper()
        return first if first in LETTERS else ""


@functools.cache
def catalogue_entries(language: str) -> tuple[Entry, ...]:
    """Every catalogue indicator, named and defined in `language` (built once per process)."""
    return tuple(
        Entry(
            term=indicator.name.get(language),
            definition=indicator.definition.get(language),
            source=INDICATOR,
            code=indicator.code,
        )
        for indicator in load_catalogue().all_indicators
    )


def all_entries(language: str) -> list[Entry]:
    """Catalogue and published staff terms, alphabetical."""
    staff = [
        Entry(term=term, definition=definition, source=STAFF)
        for term, definition in Term.objects.filter(is_published=True).values_list(
            "term", "definition"
        )
    ]
    return sorted([*catalogue_entries(language), *staff], key=lambda entry: entry.sort_key)


def search(entries: list[Entry], query: str) -> list[Entry]:
    """Entries containing `query` in the term, then those containing it only in the definition;
    each group alphabetical (`entries` are)."""
    folded = normalize(query)
    in_term = [entry for entry in entries if folded in entry.folded_term]
    in_definition = [
        entry
        for entry in entries
        if folded not in entry.folded_term and folded in entry.folded_definition
    ]
    return in_term + in_definition


def parse_params(params: QueryDict) -> tuple[str, str]:
    """(query, letter) from the query string, or BadRequest."""
    query = single_param(params, "q")
    letter = single_param(params, "huruf").strip().upper()
    if len(query) > MAX_QUERY_LENGTH:
        raise BadRequest(
            _("Kata kunci pencarian paling panjang %(max)d karakter.") % {"max": MAX_QUERY_LENGTH}
        )
    query = " ".join(query.split())
    if letter and letter not in LETTERS:
        raise BadRequest(_("Pilihan huruf harus satu huruf dari A sampai Z."))
    if query and letter:
        raise BadRequest(_("Pilih pencarian atau huruf, tidak keduanya."))
    return query, letter


@login_required
def term_list(request: HttpRequest) -> HttpResponse:
    query, letter = parse_params(request.GET)
    entries = all_entries(get_language())
    used_letters = {entry.letter for entry in entries}
    if query:
        shown = search(entries, query)
    elif letter:
        shown = [entry for entry in entries if entry.letter == letter]
    else:
        shown = entries
    context = {
        "query": query,
        "letter": letter,
        "letters": [(each, each in used_letters) for each in LETTERS],
        "entries": shown,
        "status": _status(len(shown), query),
        # Alphabetical lists are grouped under their letter; search results keep their ranking.
        "groups": None
        if query
        else [
            (each, list(group)) for each, group in itertools.groupby(shown, key=lambda e: e.letter)
        ],
        "menu": "glosarium",
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "glossary/_results.html", context)
    else:
        response = render(request, "glossary/term_list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _status(count: int, query: str) -> str:
    """How many terms are shown, for screen readers and sighted users alike."""
    if query:
        return ngettext(
            "%(counter)s istilah cocok dengan “%(query)s”.",
            "%(counter)s istilah cocok dengan “%(query)s”.",
            count,
        ) % {"counter": count, "query": query}
    return ngettext("%(counter)s istilah.", "%(counter)s istilah.", count) % {"counter": count}
