"""FAQ search: PostgreSQL full-text search when the app database is PostgreSQL, a plain
word-by-word match in Python on SQLite (which has no full-text search Django can use).

Both rank entries whose question matches before entries matched only in their answer.
"""

from __future__ import annotations

from functools import reduce
from operator import and_

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

from rapor.web.glossary.views import normalize
from rapor.web.help.models import FaqEntry


def published() -> list[FaqEntry]:
    return list(FaqEntry.objects.filter(is_published=True).select_related("category"))


def search(query: str) -> list[FaqEntry]:
    """Published entries matching `query` (already trimmed, not empty), best first."""
    if connection.vendor == "postgresql":
        return search_postgresql(query)
    return search_python(query)


def search_python(query: str) -> list[FaqEntry]:
    """Entries containing every word of `query` (ignoring case and accents) in the question or
    the answer; entries whose question holds every word come first, each group in FAQ order."""
    words = normalize(query).split()
    in_question, in_answer = [], []
    for entry in published():
        question = normalize(entry.question)
        text = question + " " + normalize(entry.answer)
        if all(word in question for word in words):
            in_question.append(entry)
        elif all(word in text for word in words):
            in_answer.append(entry)
    return in_question + in_answer


def search_postgresql(query: str) -> list[FaqEntry]:
    """Full-text matches (config "simple": no stemming, fit for Indonesian) or entries holding
    every word as a substring (so "pendid" finds "pendidikan"); question matches first, then by
    full-text rank."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = SearchVector("question", weight="A", config="simple") + SearchVector(
        "answer", weight="B", config="simple"
    )
    search_query = SearchQuery(query, config="simple", search_type="websearch")
    words = query.split()
    in_question = reduce(and_, (Q(question__icontains=word) for word in words))
    in_text = reduce(
        and_, (Q(question__icontains=word) | Q(answer__icontains=word) for word in words)
    )
    return list(
        FaqEntry.objects.filter(is_published=True)
        .select_related("category")
        .annotate(
            document=vector,
            rank=SearchRank(vector, search_query),
            question_first=Case(
                When(in_question, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
        .filter(Q(document=search_query) | in_text)
        .order_by("question_first", "-rank", "category__order", "category__name", "order", "pk")
    )
