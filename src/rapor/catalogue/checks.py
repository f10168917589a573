"""Cross-reference checks that a JSON Schema cannot express.

These run after every file passed its schema, so shapes and types can be trusted here: what
is checked is that names exist where they are used, codes are unique, bounds increase and
colours are readable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rapor.catalogue.errors import Problem

CATALOGUE = "catalogue.yaml"
INDICATORS = "indicators.yaml"
LABEL_SETS = "label_sets.yaml"
FILTERS = "filters.yaml"

# Indicators answered by people in a school carry a respondent-level measure; population
# indicators are computed from BPS counts instead (see `participation`).
SCHOOL_RESPONDENTS = frozenset({"siswa", "guru"})
# WCAG 2.2 AA for normal text: labels are drawn in these colours on white, or white on them.
MIN_CONTRAST = 4.5
# "A.1", "D.4.2": the letter before the first dot is the dimension.
DIMENSION_PREFIX = re.compile(r"^([A-Z])\.")


@dataclass(frozen=True)
class _References:
    """The names the indicators may refer to, collected once from the other files."""

    dimensions: tuple[str, ...]
    instruments: Mapping[str, tuple[str, ...]]  # source code -> instrument codes
    band_keys: Mapping[str, tuple[str, ...]]  # label set key -> band keys
    distributions: tuple[str, ...]
    jenjang: tuple[str, ...]

    @classmethod
    def from_docs(cls, docs: Mapping[str, Any]) -> _References:
        catalogue, label_sets = docs[CATALOGUE], docs[LABEL_SETS]
        return cls(
            dimensions=tuple(d["code"] for d in catalogue["dimensions"]),
            instruments={
                s["code"]: tuple(i["code"] for i in s["instruments"]) for s in catalogue["sources"]
            },
            band_keys={
                key: tuple(band["key"] for band in label_set["bands"])
                for key, label_set in label_sets["label_sets"].items()
            },
            distributions=tuple(label_sets["ability_distributions"]),
            jenjang=tuple(group["key"] for group in docs[FILTERS]["jenjang"]),
        )


def check_references(docs: Mapping[str, Any]) -> list[Problem]:
    """Every cross-reference problem across the four (schema-valid) files."""
    references = _References.from_docs(docs)
    return [
        *_check_catalogue_file(docs[CATALOGUE]),
        *_check_label_sets(docs[LABEL_SETS]),
        *_check_filters(docs[FILTERS]),
        *_check_indicators(docs[INDICATORS]["indicators"], references),
    ]


# ---------------------------------------------------------------------------- helpers


def _known(names: Iterable[object]) -> str:
    return f"(known: {', '.join(str(name) for name in names)})"


def _repeats(values: Iterable[object]) -> Iterator[tuple[int, object]]:
    """(index, value) of every value already seen earlier in the sequence."""
    seen: set[object] = set()
    for index, value in enumerate(values):
        if value in seen:
            yield index, value
        seen.add(value)


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio between a "#RRGGBB" colour and white (1 to 21)."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


def _check_colour(file: str, owner: str, field: str, colour: str) -> Iterator[Problem]:
    ratio = contrast_with_white(colour)
    if ratio < MIN_CONTRAST:
        yield Problem(
            file,
            owner,
            field,
            f"colour {colour} has contrast {ratio:.2f}:1 with white; needs at least "
            f"{MIN_CONTRAST}:1 to be readable (use a darker shade)",
        )


# ---------------------------------------------------------------------------- catalogue.yaml


def _check_catalogue_file(catalogue: Mapping[str, Any]) -> Iterator[Problem]:
    for _, code in _repeats(d["code"] for d in catalogue["dimensions"]):
        yield Problem(CATALOGUE, f"dimension {code}", "code", "duplicate dimension code")
    for _, code in _repeats(s["code"] for s in catalogue["sources"]):
        yield Problem(CATALOGUE, f"source {code}", "code", "duplicate source code")
    for source in catalogue["sources"]:
        instruments = (i["code"] for i in source["instruments"])
        for index, code in _repeats(instruments):
            yield Problem(
                CATALOGUE,
                f"source {source['code']}",
                f"instruments[{index}].code",
                f"duplicate instrument code {code!r}",
            )


# ---------------------------------------------------------------------------- label_sets.yaml


def _check_label_sets(doc: Mapping[str, Any]) -> Iterator[Problem]:
    for key, label_set in doc["label_sets"].items():
        yield from _check_bands(f"label set {key}", label_set["bands"])
    yield from _check_ability_levels(doc["ability_levels"])
    level_keys = [level["key"] for level in doc["ability_levels"]]
    for key, distribution in doc["ability_distributions"].items():
        yield from _check_distribution(f"ability distribution {key}", distribution, level_keys)


def _check_bands(owner: str, bands: list[dict[str, Any]]) -> Iterator[Problem]:
    for index, key in _repeats(band["key"] for band in bands):
        yield Problem(LABEL_SETS, owner, f"bands[{index}].key", f"duplicate band key {key!r}")
    previous: float | None = None
    for index, band in enumerate(bands):
        field = f"bands[{index}].lower_bound"
        bound = band["lower_bound"]
        if bound is None and index > 0:
            yield Problem(
                LABEL_SETS, owner, field, "only the first band may have no lower bound (null)"
            )
        elif bound is not None and previous is not None and bound <= previous:
            yield Problem(
                LABEL_SETS,
                owner,
                field,
                f"bounds must increase strictly: {bound} is not above the previous band's "
                f"lower bound {previous}",
            )
        previous = bound if bound is not None else previous
        yield from _check_colour(LABEL_SETS, owner, f"bands[{index}].colour", band["colour"])


def _check_ability_levels(levels: list[dict[str, Any]]) -> Iterator[Problem]:
    for index, level in enumerate(levels):
        owner = f"ability level {level['level']}"
        if level["level"] != index + 1:
            yield Problem(
                LABEL_SETS,
                owner,
                "level",
                f"levels must be numbered 1, 2, 3... in order; expected {index + 1} here",
            )
        yield from _check_colour(LABEL_SETS, owner, "colour", level["colour"])
    for index, key in _repeats(level["key"] for level in levels):
        yield Problem(
            LABEL_SETS, f"ability level {levels[index]['level']}", "key", f"duplicate key {key!r}"
        )


def _check_distribution(
    owner: str, distribution: Mapping[str, Any], level_keys: list[str]
) -> Iterator[Problem]:
    described = distribution["descriptions"]
    for key in described:
        if key not in level_keys:
            yield Problem(
                LABEL_SETS,
                owner,
                f"descriptions.{key}",
                f"unknown ability level {_known(level_keys)}",
            )
    missing = [key for key in level_keys if key not in described]
    if missing:
        yield Problem(
            LABEL_SETS, owner, "descriptions", f"no description for level(s): {', '.join(missing)}"
        )


# ---------------------------------------------------------------------------- filters.yaml


def _check_filters(doc: Mapping[str, Any]) -> Iterator[Problem]:
    bentuk = {b["code"]: b for b in doc["bentuk"]}
    groups = {group["key"]: group["bentuk"] for group in doc["jenjang"]}
    for _, code in _repeats(b["code"] for b in doc["bentuk"]):
        yield Problem(FILTERS, f"bentuk {code}", "code", "duplicate bentuk code")
    for _, key in _repeats(group["key"] for group in doc["jenjang"]):
        yield Problem(FILTERS, f"jenjang {key}", "key", "duplicate jenjang key")
    status_keys = [doc["status"]["all"]["key"], *(o["key"] for o in doc["status"]["values"])]
    for index, key in _repeats(status_keys):
        yield Problem(FILTERS, "status", f"values[{index - 1}].key", f"duplicate status {key!r}")
    yield from _check_jenjang_groups(doc["jenjang"], bentuk)
    yield from _check_programmes(doc["programmes"], bentuk, groups)
    yield from _check_region_excluded(doc["region_excluded"]["school_bentuk"], bentuk)


def _check_jenjang_groups(
    groups: list[dict[str, Any]], bentuk: Mapping[str, Mapping[str, Any]]
) -> Iterator[Problem]:
    programme_codes = [code for code, b in bentuk.items() if b["programme"]]
    offered = {code for group in groups for code in group["bentuk"]}
    for group in groups:
        for index, code in enumerate(group["bentuk"]):
            if code not in programme_codes:
                yield Problem(
                    FILTERS,
                    f"jenjang {group['key']}",
                    f"bentuk[{index}]",
                    f"{code!r} is not a programme bentuk {_known(programme_codes)}",
                )
    for code in programme_codes:
        if code not in offered:
            yield Problem(
                FILTERS,
                f"bentuk {code}",
                "programme",
                "is a programme but no jenjang group offers it; add it to a jenjang's bentuk list",
            )


def _check_programmes(
    programmes: list[dict[str, Any]],
    bentuk: Mapping[str, Mapping[str, Any]],
    groups: Mapping[str, list[str]],
) -> Iterator[Problem]:
    school_codes = [code for code, b in bentuk.items() if b["school"]]
    for index, programme in enumerate(programmes):
        owner = f"programme at index {index}"
        school, jenjang = programme["school_bentuk"], programme["jenjang"]
        if school not in school_codes:
            yield Problem(
                FILTERS,
                owner,
                "school_bentuk",
                f"{school!r} is not a school bentuk {_known(school_codes)}",
            )
        if jenjang not in groups:
            yield Problem(
                FILTERS, owner, "jenjang", f"unknown jenjang {jenjang!r} {_known(groups)}"
            )
        elif programme["programme_bentuk"] not in groups[jenjang]:
            yield Problem(
                FILTERS,
                owner,
                "programme_bentuk",
                f"{programme['programme_bentuk']!r} is not offered in jenjang {jenjang} "
                f"{_known(groups[jenjang])}",
            )
    for index, pair in _repeats((p["school_bentuk"], p["jenjang"]) for p in programmes):
        yield Problem(
            FILTERS,
            f"programme at index {index}",
            "jenjang",
            f"school bentuk {pair[0]!r} already has a programme at jenjang {pair[1]!r}",
        )
    mapped = {p["school_bentuk"] for p in programmes}
    for code in school_codes:
        if code not in mapped:
            # Its students would belong to no programme and silently vanish from every figure.
            yield Problem(FILTERS, f"bentuk {code}", "school", "school bentuk has no programme")


def _check_region_excluded(
    excluded: list[str], bentuk: Mapping[str, Mapping[str, Any]]
) -> Iterator[Problem]:
    school_codes = [code for code, b in bentuk.items() if b["school"]]
    for index, code in enumerate(excluded):
        if code not in school_codes:
            yield Problem(
                FILTERS,
                "region_excluded",
                f"school_bentuk[{index}]",
                f"{code!r} is not a school bentuk {_known(school_codes)}",
            )


# ---------------------------------------------------------------------------- indicators.yaml


def _check_indicators(
    indicators: list[dict[str, Any]], references: _References
) -> Iterator[Problem]:
    codes: dict[str, str] = {}  # code -> "where first seen", to report duplicates
    measures: dict[str, str] = {}  # measure -> code, so one measure feeds one indicator
    for indicator in indicators:
        owner = f"indicator {indicator['code']}"
        yield from _check_top_level(owner, indicator, references)
        yield from _check_shared(owner, indicator, indicator, references, codes, measures)
        for sub in indicator.get("sub_indicators", []):
            sub_owner = f"indicator {sub['code']}"
            if not sub["code"].startswith(indicator["code"] + "."):
                yield Problem(
                    INDICATORS,
                    sub_owner,
                    "code",
                    f"a sub-indicator's code must start with its parent's code "
                    f"'{indicator['code']}.'",
                )
            yield from _check_shared(sub_owner, sub, indicator, references, codes, measures)


def _check_top_level(
    owner: str, indicator: Mapping[str, Any], references: _References
) -> Iterator[Problem]:
    yield from _check_dimension(owner, indicator, references)
    yield from _check_source(owner, indicator, references)
    if indicator["label_set"] not in references.band_keys:
        yield Problem(
            INDICATORS,
            owner,
            "label_set",
            f"unknown label set {indicator['label_set']!r} {_known(references.band_keys)}",
        )
    distribution = indicator.get("ability_distribution")
    if distribution is not None and distribution not in references.distributions:
        yield Problem(
            INDICATORS,
            owner,
            "ability_distribution",
            f"unknown ability distribution {distribution!r} {_known(references.distributions)}",
        )
    if distribution is not None and indicator["respondent"] != "siswa":
        yield Problem(
            INDICATORS, owner, "ability_distribution", "only siswa indicators have ability levels"
        )
    yield from _check_participation(owner, indicator, references)
    scale = indicator["scale"]
    if scale["max"] is not None and scale["max"] <= scale["min"]:
        yield Problem(INDICATORS, owner, "scale.max", "must be greater than scale.min")


def _check_dimension(
    owner: str, indicator: Mapping[str, Any], references: _References
) -> Iterator[Problem]:
    dimension = indicator["dimension"]
    if dimension not in references.dimensions:
        yield Problem(
            INDICATORS,
            owner,
            "dimension",
            f"unknown dimension {dimension!r} {_known(references.dimensions)}",
        )
        return
    prefix = DIMENSION_PREFIX.match(indicator["code"])
    if prefix and prefix.group(1) != dimension:
        yield Problem(
            INDICATORS,
            owner,
            "dimension",
            f"code {indicator['code']} belongs to dimension {prefix.group(1)}, not {dimension!r}",
        )


def _check_source(
    owner: str, indicator: Mapping[str, Any], references: _References
) -> Iterator[Problem]:
    source = indicator["source"]
    if source not in references.instruments:
        yield Problem(
            INDICATORS,
            owner,
            "source",
            f"unknown source {source!r} {_known(references.instruments)}",
        )
        return
    known = references.instruments[source]
    for index, instrument in enumerate(indicator.get("instruments", [])):
        if instrument not in known:
            yield Problem(
                INDICATORS,
                owner,
                f"instruments[{index}]",
                f"source {source} has no instrument {instrument!r} {_known(known)}",
            )


def _check_participation(
    owner: str, indicator: Mapping[str, Any], references: _References
) -> Iterator[Problem]:
    participation = indicator.get("participation")
    is_population = indicator["respondent"] == "penduduk"
    if is_population and participation is None:
        yield Problem(
            INDICATORS,
            owner,
            "participation",
            "is required for a penduduk indicator (formula, ages)",
        )
    if not is_population and participation is not None:
        yield Problem(
            INDICATORS,
            owner,
            "participation",
            f"only penduduk indicators have a participation block "
            f"(respondent is {indicator['respondent']!r})",
        )
    if participation is None:
        return
    if participation["age_min"] > participation["age_max"]:
        yield Problem(INDICATORS, owner, "participation.age_max", "must not be below age_min")
    jenjang = participation["jenjang"]
    if jenjang not in references.jenjang:
        yield Problem(
            INDICATORS,
            owner,
            "participation.jenjang",
            f"unknown jenjang {jenjang!r} {_known(references.jenjang)}",
        )
    elif jenjang not in indicator["jenjang"]:
        yield Problem(
            INDICATORS,
            owner,
            "participation.jenjang",
            f"{jenjang!r} must also be listed in the indicator's jenjang",
        )


def _check_shared(
    owner: str,
    node: Mapping[str, Any],
    top: Mapping[str, Any],
    references: _References,
    codes: dict[str, str],
    measures: dict[str, str],
) -> Iterator[Problem]:
    """Checks for indicators and sub-indicators alike; `top` supplies what subs inherit."""
    code = node["code"]
    if code in codes:
        yield Problem(INDICATORS, owner, "code", f"duplicate code (also used by {codes[code]})")
    codes.setdefault(code, owner)
    yield from _check_measure(owner, node, top["respondent"], measures)
    for index, jenjang in enumerate(node.get("jenjang", [])):
        if jenjang not in references.jenjang:
            yield Problem(
                INDICATORS,
                owner,
                f"jenjang[{index}]",
                f"unknown jenjang {jenjang!r} {_known(references.jenjang)}",
            )
    if top["respondent"] == "penduduk" and "sekolah" in node.get("levels", []):
        yield Problem(
            INDICATORS, owner, "levels", "a penduduk indicator cannot be published for sekolah"
        )
    band_keys = references.band_keys.get(top["label_set"])
    for key in node.get("narratives", {}) if band_keys is not None else ():
        if key not in band_keys:
            yield Problem(
                INDICATORS,
                owner,
                f"narratives.{key}",
                f"label set {top['label_set']} has no band {key!r} {_known(band_keys)}",
            )


def _check_measure(
    owner: str, node: Mapping[str, Any], respondent: str, measures: dict[str, str]
) -> Iterator[Problem]:
    measure = node.get("measure")
    if respondent in SCHOOL_RESPONDENTS and measure is None:
        yield Problem(
            INDICATORS,
            owner,
            "measure",
            f"is required: a {respondent} indicator names the respondent-level measure to average",
        )
    if respondent not in SCHOOL_RESPONDENTS and measure is not None:
        yield Problem(
            INDICATORS,
            owner,
            "measure",
            f"must be absent for a {respondent} indicator (it is computed from `participation`)",
        )
    if measure is not None and measure in measures:
        yield Problem(
            INDICATORS,
            owner,
            "measure",
            f"measure {measure!r} already feeds indicator {measures[measure]}",
        )
    if measure is not None:
        measures.setdefault(measure, node["code"])
