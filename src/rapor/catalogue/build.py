"""Turning checked YAML documents into the frozen model.

Runs only after the schema and cross-reference checks passed, so lookups here cannot fail.
Inheritance (sub-indicators taking their parent's respondent, levels, label set...) is
resolved here once, so consumers never have to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from rapor.catalogue.checks import CATALOGUE, FILTERS, INDICATORS, LABEL_SETS
from rapor.catalogue.model import (
    AbilityDistribution,
    AbilityLevel,
    Band,
    Bentuk,
    Catalogue,
    Dimension,
    FilterOption,
    Filters,
    Indicator,
    Instrument,
    JenjangGroup,
    LabelSet,
    Participation,
    Programme,
    Source,
    Text,
)

Doc = Mapping[str, Any]


def build_catalogue(docs: Mapping[str, Doc], checksum: str) -> Catalogue:
    catalogue, label_docs = docs[CATALOGUE], docs[LABEL_SETS]
    label_sets = tuple(_label_set(key, doc) for key, doc in label_docs["label_sets"].items())
    ability_levels = tuple(_ability_level(doc) for doc in label_docs["ability_levels"])
    return Catalogue(
        version=catalogue["version"],
        checksum=checksum,
        dimensions=tuple(_dimension(doc) for doc in catalogue["dimensions"]),
        sources=tuple(_source(doc) for doc in catalogue["sources"]),
        indicators=_indicators(docs[INDICATORS]["indicators"], label_sets),
        label_sets=label_sets,
        ability_levels=ability_levels,
        ability_distributions=tuple(
            _ability_distribution(key, doc, ability_levels)
            for key, doc in label_docs["ability_distributions"].items()
        ),
        filters=_filters(docs[FILTERS]),
    )


def _text(doc: Doc) -> Text:
    return Text(id=doc["id"], en=doc["en"])


def _optional_text(doc: Doc | None) -> Text | None:
    return None if doc is None else _text(doc)


def _bound(value: float | None) -> float | None:
    return None if value is None else float(value)


def _dimension(doc: Doc) -> Dimension:
    return Dimension(doc["code"], doc["role"], _text(doc["name"]), _text(doc["description"]))


def _source(doc: Doc) -> Source:
    return Source(
        code=doc["code"],
        name=_text(doc["name"]),
        publisher=_text(doc["publisher"]),
        description=_text(doc["description"]),
        instruments=tuple(Instrument(i["code"], _text(i["name"])) for i in doc["instruments"]),
    )


def _label_set(key: str, doc: Doc) -> LabelSet:
    band_docs = doc["bands"]
    # Each band ends where the next one starts; the last one is open-ended.
    uppers = [band["lower_bound"] for band in band_docs[1:]] + [None]
    bands = tuple(
        Band(
            key=band["key"],
            order=order,
            lower_bound=_bound(band["lower_bound"]),
            upper_bound=_bound(upper),
            label=_text(band["label"]),
            colour=band["colour"],
            narrative=_text(band["narrative"]),
        )
        for order, (band, upper) in enumerate(zip(band_docs, uppers, strict=True), start=1)
    )
    return LabelSet(key, _text(doc["name"]), bands)


def _with_narratives(bands: tuple[Band, ...], overrides: Mapping[str, Doc]) -> tuple[Band, ...]:
    return tuple(
        replace(band, narrative=_text(overrides[band.key])) if band.key in overrides else band
        for band in bands
    )


def _indicators(docs: list[Doc], label_sets: tuple[LabelSet, ...]) -> tuple[Indicator, ...]:
    sets = {label_set.key: label_set for label_set in label_sets}
    result, sort_order = [], 0
    for doc in docs:
        sort_order += 1
        parent_order = sort_order
        subs = []
        for sub_doc in doc.get("sub_indicators", []):
            sort_order += 1
            subs.append(_indicator(sub_doc, doc, sets[doc["label_set"]], sort_order))
        result.append(
            _indicator(doc, None, sets[doc["label_set"]], parent_order, sub_indicators=tuple(subs))
        )
    return tuple(result)


def _indicator(
    doc: Doc,
    parent: Doc | None,
    label_set: LabelSet,
    sort_order: int,
    sub_indicators: tuple[Indicator, ...] = (),
) -> Indicator:
    """Build one indicator; for a sub-indicator, `parent` supplies every field it omits."""
    top = parent or doc

    def inherited(field: str) -> Any:
        return doc.get(field, top.get(field))

    participation = top.get("participation") if parent is None else None
    return Indicator(
        code=doc["code"],
        parent_code=None if parent is None else parent["code"],
        dimension=top["dimension"],
        name=_text(doc["name"]),
        definition=_text(doc["definition"]),
        calculation=_optional_text(doc.get("calculation")),
        respondent=top["respondent"],
        source=top["source"],
        instruments=tuple(top.get("instruments", [])),
        measure=doc.get("measure"),
        participation=None if participation is None else Participation(**participation),
        unit=inherited("unit"),
        scale_min=float(top["scale"]["min"]),
        scale_max=_bound(top["scale"]["max"]),
        levels=tuple(inherited("levels")),
        jenjang=tuple(inherited("jenjang")),
        label_set=label_set.key,
        # A sub-indicator's value is its own measure, so the parent's narratives (written
        # about the parent's measure) would mislead: subs fall back to the set's defaults.
        bands=_with_narratives(label_set.bands, doc.get("narratives", {})),
        ability_distribution=doc.get("ability_distribution"),
        breakdown=doc.get("breakdown"),
        sort_order=sort_order,
        sub_indicators=sub_indicators,
    )


def _ability_level(doc: Doc) -> AbilityLevel:
    return AbilityLevel(
        doc["level"], doc["key"], _text(doc["label"]), doc["colour"], _text(doc["description"])
    )


def _ability_distribution(
    key: str, doc: Doc, levels: tuple[AbilityLevel, ...]
) -> AbilityDistribution:
    described = tuple(
        AbilityLevel(
            level.level,
            level.key,
            level.label,
            level.colour,
            _text(doc["descriptions"][level.key]),
        )
        for level in levels
    )
    return AbilityDistribution(key, _text(doc["name"]), doc["level_measure"], described)


def _option(doc: Doc) -> FilterOption:
    return FilterOption(doc["key"], _text(doc["name"]))


def _filters(doc: Doc) -> Filters:
    return Filters(
        bentuk=tuple(
            Bentuk(b["code"], b["name"], _text(b["full_name"]), b["school"], b["programme"])
            for b in doc["bentuk"]
        ),
        jenjang=tuple(
            JenjangGroup(g["key"], _text(g["name"]), tuple(g["bentuk"])) for g in doc["jenjang"]
        ),
        status_all=_option(doc["status"]["all"]),
        status=tuple(_option(option) for option in doc["status"]["values"]),
        programmes=tuple(
            Programme(p["school_bentuk"], p["jenjang"], p["programme_bentuk"])
            for p in doc["programmes"]
        ),
        region_excluded_school_bentuk=tuple(doc["region_excluded"]["school_bentuk"]),
        region_excluded_note=_text(doc["region_excluded"]["note"]),
    )
