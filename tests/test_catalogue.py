"""The indicator catalogue: shipped content, label bands, pipeline tables and error messages."""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import rapor.catalogue
from rapor.catalogue import Catalogue, CatalogueError, load_catalogue
from rapor.catalogue.checks import contrast_with_white

CATALOGUE_DIR = Path(rapor.catalogue.__file__).parent
DOCS = Path(__file__).parents[1] / "docs" / "indicators.md"

SCHOOL_CODES = {
    "A.1", "A.1.1", "A.1.2", "A.1.3", "A.1.4", "A.1.5",
    "A.2", "A.2.1", "A.2.2", "A.2.3", "A.2.4",
    "A.3",
    "D.1", "D.1.1", "D.1.2", "D.1.3",
    "D.3",
    "D.4", "D.4.1", "D.4.2", "D.4.3",
    "D.5", "D.6", "D.8",
}  # fmt: skip
PARTICIPATION_CODES = {f"{f}-{j}" for f in ("APK", "APS", "APM") for j in ("SD", "SMP", "SMA")}

PIPELINE_COLUMNS = {
    "cat_indicators": {
        "indicator", "parent_indicator", "dimension", "respondent", "measure", "unit", "source",
        "sort_order",
    },
    "cat_indicator_levels": {"indicator", "entity_type"},
    "cat_indicator_jenjang": {"indicator", "jenjang"},
    "cat_bands": {
        "indicator", "band_order", "lower_bound", "upper_bound", "label_key", "label_id",
    },
    "cat_participation": {"indicator", "formula", "age_min", "age_max", "jenjang"},
    "cat_ability_measures": {"indicator", "level_measure"},
    "cat_ability_levels": {"level", "label_key", "label_id"},
    "cat_filter_bentuk": {"jenjang", "bentuk"},
    "cat_programmes": {"school_bentuk", "jenjang", "programme_bentuk"},
    "cat_region_excluded_bentuk": {"school_bentuk"},
}  # fmt: skip


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A private copy of the shipped catalogue that a test may break."""
    for path in CATALOGUE_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def edit(directory: Path, file: str, change: Callable[[Any], None]) -> None:
    """Load one YAML file of the copy, apply `change` to the data and write it back."""
    path = directory / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def replace_text(directory: Path, file: str, old: str, new: str) -> None:
    """Replace exactly one occurrence of `old` in a file of the copy (for syntax errors)."""
    path = directory / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def indicator(data: dict[str, Any], code: str) -> dict[str, Any]:
    """The indicator or sub-indicator with `code` inside a loaded indicators.yaml."""
    for top in data["indicators"]:
        for node in [top, *top.get("sub_indicators", [])]:
            if node["code"] == code:
                return node
    raise KeyError(code)


def error_of(directory: Path) -> str:
    """The message of the CatalogueError that loading `directory` raises."""
    with pytest.raises(CatalogueError) as info:
        load_catalogue(directory)
    return str(info.value)


# ---------------------------------------------------------------------------- shipped content


def test_shipped_catalogue_has_a_version_and_a_sha256_checksum(catalogue: Catalogue) -> None:
    """The shipped catalogue loads with a year.month.patch version and a sha256 hex checksum."""
    assert catalogue.version.count(".") == 2
    assert len(catalogue.checksum) == 64
    int(catalogue.checksum, 16)


def test_shipped_catalogue_has_every_required_indicator(catalogue: Catalogue) -> None:
    """Every school-based and participation indicator code is in the catalogue, and no other."""
    codes = {each.code for each in catalogue.all_indicators}
    assert codes == SCHOOL_CODES | PARTICIPATION_CODES


def test_school_indicators_use_the_pipelines_measure_names(catalogue: Catalogue) -> None:
    """The measure names are the fixed ones the pipeline provides."""
    measures = {each.code: each.measure for each in catalogue.all_indicators}
    assert measures["A.1"] == "literacy_meets_minimum"
    assert measures["A.2"] == "numeracy_meets_minimum"
    assert measures["A.1.4"] == "literacy_interpret"
    assert measures["D.4.3"] == "safety_sexual_violence"
    assert measures["D.3"] == "instructional_leadership"
    assert all(measures[code] is None for code in PARTICIPATION_CODES)


def test_dimensions_include_c_and_e_without_indicators(catalogue: Catalogue) -> None:
    """Dimensions A-E are listed; C and E have no indicators yet."""
    assert [d.code for d in catalogue.dimensions] == ["A", "B", "C", "D", "E"]
    used = {each.dimension for each in catalogue.indicators}
    assert used == {"A", "B", "D"}


def test_sub_indicators_hang_below_their_parent(catalogue: Catalogue) -> None:
    """A.1 lists its five sub-indicators in order and each knows its parent."""
    literacy = catalogue.indicator("A.1")
    assert [sub.code for sub in literacy.sub_indicators] == [f"A.1.{n}" for n in range(1, 6)]
    assert {sub.parent_code for sub in literacy.sub_indicators} == {"A.1"}


def test_indicator_lookup_finds_sub_indicators(catalogue: Catalogue) -> None:
    """`indicator(code)` finds sub-indicators as well as top-level indicators."""
    assert catalogue.indicator("D.1.3").measure == "learning_cognitive_activation"


def test_unknown_indicator_code_raises_key_error(catalogue: Catalogue) -> None:
    """Looking up a code that does not exist raises KeyError naming the code."""
    with pytest.raises(KeyError, match=r"Z\.9"):
        catalogue.indicator("Z.9")


def test_participation_names_and_definitions_follow_the_guide(catalogue: Catalogue) -> None:
    """APK/APS SD and APK SMP carry the guide's glossary names and definitions verbatim."""
    apk_sd = catalogue.indicator("APK-SD")
    assert apk_sd.name.id == "Angka Partisipasi Kasar (APK) SD/MI/Paket A/SDLB"
    assert apk_sd.definition.id == (
        "Jumlah peserta didik di jenjang SD sederajat dibagi jumlah penduduk usia 7 (tujuh) "
        "sampai dengan 12 (dua belas) tahun pada kab/kota yang bersangkutan."
    )
    assert catalogue.indicator("APS-SD").definition.id.startswith(
        "Jumlah anak usia 7 (tujuh) sampai dengan 12 (dua belas) tahun yang sedang belajar"
    )
    assert catalogue.indicator("APM-SMA").name.id == (
        "Angka Partisipasi Murni (APM) SMA/SMK/MA/MAK/Paket C/SMALB"
    )


def test_participation_indicators_are_regional_with_ses_breakdown(catalogue: Catalogue) -> None:
    """Participation indicators are published for regions only and split by SES quintile."""
    for code in PARTICIPATION_CODES:
        each = catalogue.indicator(code)
        assert each.levels == ("kabkota", "provinsi", "nasional")
        assert each.breakdown == "ses_quintile"
        assert each.source == "BPS"


def test_apk_has_no_upper_scale_limit(catalogue: Catalogue) -> None:
    """APK may exceed 100 (over-age students count), so its scale has no maximum."""
    assert catalogue.indicator("APK-SMP").scale_max is None
    assert catalogue.indicator("APM-SMP").scale_max == 100


def test_every_text_has_indonesian_and_english(catalogue: Catalogue) -> None:
    """Every indicator name and definition is non-empty in both languages."""
    for each in catalogue.all_indicators:
        for text in (each.name, each.definition):
            assert text.get("id") and text.get("en")


# ---------------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("code", "value", "key"),
    [
        ("A.1", 39.99, "kurang"),
        ("A.1", 40, "sedang"),
        ("A.1", 69.99, "sedang"),
        ("A.1", 70, "baik"),
        ("A.2", 0, "kurang"),
        ("A.2", 100, "baik"),
        ("D.1", 40, "sedang"),
        ("A.3", 39.99, "merintis"),
        ("A.3", 70, "membudaya"),
        ("D.4", 69.99, "cukup_aman"),
        ("D.4.1", 70, "aman"),
        ("APS-SD", 99.08, "baik"),
        ("APS-SMA", 73.15, "kurang"),
        ("APK-SD", 84.99, "kurang"),
        ("APK-SD", 85, "sedang"),
        ("APK-SD", 104.2, "baik"),
        # float noise of a mean summed in another order: banded as the value it stands for
        ("A.1", 39.99999999999999, "sedang"),
        ("A.1", 69.99999999999999, "baik"),
        ("A.1", 39.9999999, "kurang"),
    ],
)
def test_label_for_puts_values_in_the_right_band(
    catalogue: Catalogue, code: str, value: float, key: str
) -> None:
    """Lower bounds are inclusive and the next band's bound is exclusive."""
    band = catalogue.label_for(code, value)
    assert band is not None
    assert band.key == key


@pytest.mark.parametrize("value", [None, math.nan])
def test_label_for_a_missing_value_is_none(catalogue: Catalogue, value: float | None) -> None:
    """A missing value has no label rather than the lowest one."""
    assert catalogue.label_for("A.1", value) is None


def test_band_carries_indonesian_and_english_labels(catalogue: Catalogue) -> None:
    """The band of a value tells the label in both languages and its colour."""
    band = catalogue.label_for("D.5", 20)
    assert band is not None
    assert (band.label.id, band.label.en) == ("Merintis", "Emerging")
    assert band.colour.startswith("#")


@pytest.mark.parametrize("code", ["A.1", "A.2", "A.3"])
def test_learning_outcomes_have_their_own_narratives(catalogue: Catalogue, code: str) -> None:
    """A.1, A.2 and A.3 override every band's narrative of their shared label set."""
    each = catalogue.indicator(code)
    defaults = catalogue.label_set(each.label_set).bands
    for own, default in zip(each.bands, defaults, strict=True):
        assert own.narrative != default.narrative


def test_literacy_narrative_follows_the_guide(catalogue: Catalogue) -> None:
    """A.1 labelled Baik reads like the guide's 'Sebagian besar siswa telah mencapai ...'."""
    band = catalogue.label_for("A.1", 80)
    assert band is not None
    assert band.narrative.id.startswith(
        "Sebagian besar siswa telah mencapai batas kompetensi minimum untuk literasi membaca"
    )


def test_sub_indicators_use_the_label_sets_default_narratives(catalogue: Catalogue) -> None:
    """A sub-indicator does not borrow its parent's narratives, written about another measure."""
    sub, default = catalogue.indicator("A.1.1"), catalogue.label_set("kompetensi")
    assert sub.bands == default.bands


def test_every_colour_is_readable_against_white(catalogue: Catalogue) -> None:
    """Band and ability-level colours reach WCAG AA contrast (4.5:1) with white."""
    colours = [band.colour for ls in catalogue.label_sets for band in ls.bands]
    colours += [level.colour for level in catalogue.ability_levels]
    assert min(contrast_with_white(colour) for colour in colours) >= 4.5


def test_ability_levels_run_from_far_below_to_above(catalogue: Catalogue) -> None:
    """The four AKM ability levels are numbered 1-4 from far below to above the minimum."""
    labels = [level.label.id for level in catalogue.ability_levels]
    assert labels == [
        "Jauh di bawah kompetensi minimum",
        "Di bawah kompetensi minimum",
        "Mencapai kompetensi minimum",
        "Di atas kompetensi minimum",
    ]


def test_ability_distributions_describe_levels_per_domain(catalogue: Catalogue) -> None:
    """Literacy and numeracy describe each ability level in their own words."""
    literacy = catalogue.ability_distribution("literacy")
    numeracy = catalogue.ability_distribution("numeracy")
    assert literacy.level_measure == "literacy_level"
    assert literacy.levels[0].description != numeracy.levels[0].description


# ---------------------------------------------------------------------------- filters


def test_jenjang_groups_list_their_programme_bentuk(catalogue: Catalogue) -> None:
    """Each dashboard jenjang group offers its programme bentuk, Khusus the special schools."""
    groups = {group.key: group.bentuk for group in catalogue.filters.jenjang}
    assert groups == {
        "dasar": ("sd", "mi", "sdlb", "paket_a"),
        "menengah_pertama": ("smp", "mts", "smplb", "paket_b"),
        "menengah": ("sma", "ma", "smk", "smalb", "paket_c"),
        "khusus": ("sdlb", "smplb", "smalb"),
    }


def test_status_filter_offers_negeri_and_swasta(catalogue: Catalogue) -> None:
    """The status filter's unfiltered value is Semua, the others Negeri and Swasta."""
    status = catalogue.filters
    assert status.status_all.name.id == "Semua"
    assert [(o.key, o.name.id) for o in status.status] == [
        ("negeri", "Negeri"),
        ("swasta", "Swasta"),
    ]


def test_region_exclusion_note_is_the_guides(catalogue: Catalogue) -> None:
    """PKBM and SLB are left out of regional figures with the guide's note."""
    filters = catalogue.filters
    assert filters.region_excluded_school_bentuk == ("pkbm", "slb")
    assert filters.region_excluded_note.id == (
        "Semua nilai di bawah belum memperhitungkan nilai dari PKBM, SLB satu atap, dan SLB "
        "tanpa jenjang."
    )


def test_school_bentuk_have_display_names(catalogue: Catalogue) -> None:
    """School bentuk codes map to the short names shown on screen."""
    names = {b.code: b.name for b in catalogue.filters.bentuk if b.is_school}
    assert names["mts"] == "MTs"
    assert names["slb"] == "SLB"
    assert names["pkbm"] == "PKBM"


# ---------------------------------------------------------------------------- loading


def test_default_load_is_parsed_once() -> None:
    """Loading the shipped catalogue twice returns the same cached object."""
    assert load_catalogue() is load_catalogue()


def test_a_copy_loads_like_the_shipped_catalogue(copy: Path, catalogue: Catalogue) -> None:
    """An unchanged copy in another folder loads to an equal catalogue with the same checksum."""
    assert load_catalogue(copy) == catalogue


def test_checksum_changes_when_any_file_changes(copy: Path, catalogue: Catalogue) -> None:
    """Editing one YAML file (even a comment) changes the checksum."""
    path = copy / "filters.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert load_catalogue(copy).checksum != catalogue.checksum


# ---------------------------------------------------------------------------- pipeline tables


def test_pipeline_tables_have_exactly_the_agreed_columns(catalogue: Catalogue) -> None:
    """pipeline_tables returns exactly the agreed tables, each non-empty with the agreed columns."""
    tables = catalogue.pipeline_tables()
    assert set(tables) == set(PIPELINE_COLUMNS)
    for name, rows in tables.items():
        assert rows, name
        assert all(set(row) == PIPELINE_COLUMNS[name] for row in rows), name


def test_cat_indicators_has_one_row_per_indicator_in_order(catalogue: Catalogue) -> None:
    """cat_indicators lists every indicator and sub once, numbered in catalogue order."""
    rows = catalogue.pipeline_tables()["cat_indicators"]
    assert [row["sort_order"] for row in rows] == list(range(1, len(rows) + 1))
    by_code = {row["indicator"]: row for row in rows}
    assert set(by_code) == SCHOOL_CODES | PARTICIPATION_CODES
    assert by_code["A.1.2"]["parent_indicator"] == "A.1"
    assert by_code["A.1.2"]["respondent"] == "siswa"
    assert by_code["D.3"]["respondent"] == "guru"
    assert by_code["APM-SD"] | {"sort_order": 0} == {
        "indicator": "APM-SD",
        "parent_indicator": None,
        "dimension": "B",
        "respondent": "penduduk",
        "measure": None,
        "unit": "persen",
        "source": "BPS",
        "sort_order": 0,
    }


def test_sub_indicators_inherit_levels_and_jenjang(catalogue: Catalogue) -> None:
    """A sub-indicator has its own level and jenjang rows, copied from its parent."""
    tables = catalogue.pipeline_tables()
    levels = {r["entity_type"] for r in tables["cat_indicator_levels"] if r["indicator"] == "D.4.2"}
    jenjang = {r["jenjang"] for r in tables["cat_indicator_jenjang"] if r["indicator"] == "D.4.2"}
    assert levels == {"sekolah", "kabkota", "provinsi", "nasional"}
    assert jenjang == {"dasar", "menengah_pertama", "menengah", "khusus"}


def test_cat_bands_cover_every_indicator_with_open_ends(catalogue: Catalogue) -> None:
    """Every indicator, subs included, has bands whose first and last bounds are open."""
    rows = catalogue.pipeline_tables()["cat_bands"]
    assert {row["indicator"] for row in rows} == SCHOOL_CODES | PARTICIPATION_CODES
    aps = [row for row in rows if row["indicator"] == "APS-SMA"]
    assert [(r["band_order"], r["lower_bound"], r["upper_bound"], r["label_id"]) for r in aps] == [
        (1, None, 85.0, "Kurang"),
        (2, 85.0, 95.0, "Sedang"),
        (3, 95.0, None, "Baik"),
    ]


def test_cat_participation_gives_formula_ages_and_jenjang(catalogue: Catalogue) -> None:
    """cat_participation has one row per participation indicator with its age band."""
    rows = {r["indicator"]: r for r in catalogue.pipeline_tables()["cat_participation"]}
    assert set(rows) == PARTICIPATION_CODES
    assert rows["APS-SMA"] == {
        "indicator": "APS-SMA",
        "formula": "aps",
        "age_min": 16,
        "age_max": 18,
        "jenjang": "menengah",
    }
    assert (rows["APM-SMP"]["age_min"], rows["APM-SMP"]["age_max"]) == (13, 15)


def test_cat_ability_tables_name_the_level_measures(catalogue: Catalogue) -> None:
    """Literacy and numeracy point at their level columns; levels 1-4 carry Indonesian labels."""
    tables = catalogue.pipeline_tables()
    assert tables["cat_ability_measures"] == [
        {"indicator": "A.1", "level_measure": "literacy_level"},
        {"indicator": "A.2", "level_measure": "numeracy_level"},
    ]
    assert [row["level"] for row in tables["cat_ability_levels"]] == [1, 2, 3, 4]


def test_cat_programmes_map_slb_and_pkbm_to_programmes(catalogue: Catalogue) -> None:
    """A multi-level SLB and a PKBM map to a different programme at each jenjang."""
    rows = catalogue.pipeline_tables()["cat_programmes"]
    mapping = {(r["school_bentuk"], r["jenjang"]): r["programme_bentuk"] for r in rows}
    assert mapping[("slb", "menengah_pertama")] == "smplb"
    assert mapping[("pkbm", "menengah")] == "paket_c"
    assert mapping[("mi", "dasar")] == "mi"
    assert ("sd", "menengah") not in mapping


def test_cat_region_excluded_bentuk_lists_pkbm_and_slb(catalogue: Catalogue) -> None:
    """The regional exclusion table holds the school bentuk PKBM and SLB."""
    rows = catalogue.pipeline_tables()["cat_region_excluded_bentuk"]
    assert rows == [{"school_bentuk": "pkbm"}, {"school_bentuk": "slb"}]


def test_every_indicator_is_documented(catalogue: Catalogue) -> None:
    """docs/indicators.md mentions every indicator code and every label set."""
    text = DOCS.read_text(encoding="utf-8")
    missing = [each.code for each in catalogue.all_indicators if f"`{each.code}`" not in text]
    missing += [ls.key for ls in catalogue.label_sets if f"`{ls.key}`" not in text]
    assert not missing


# ---------------------------------------------------------------------------- schema errors


def test_unknown_label_set_names_file_indicator_and_field(copy: Path) -> None:
    """A misspelt label set is reported with the file, the indicator and the known sets."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "A.1").update(label_set="kompetensii"))
    message = error_of(copy)
    assert message.startswith(
        "indicators.yaml: indicator A.1: field 'label_set': unknown label set 'kompetensii' "
        "(known: kompetensi, "
    )


def test_unknown_dimension_is_reported(copy: Path) -> None:
    """An indicator in a dimension that catalogue.yaml does not define is rejected."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "APS-SD").update(dimension="X"))
    assert error_of(copy).startswith(
        "indicators.yaml: indicator APS-SD: field 'dimension': unknown dimension 'X'"
    )


def test_code_in_the_wrong_dimension_is_reported(copy: Path) -> None:
    """A code 'D.x' filed under dimension A is rejected."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "D.3").update(dimension="A"))
    assert error_of(copy).startswith(
        "indicators.yaml: indicator D.3: field 'dimension': code D.3 belongs to dimension D"
    )


def test_unknown_source_is_reported(copy: Path) -> None:
    """An indicator citing a source that catalogue.yaml does not define is rejected."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "D.5").update(source="SIMPKB"))
    assert error_of(copy).startswith(
        "indicators.yaml: indicator D.5: field 'source': unknown source 'SIMPKB'"
    )


def test_unknown_instrument_is_reported(copy: Path) -> None:
    """An instrument that does not belong to the indicator's source is rejected."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "A.3").update(instruments=["susenas"]))
    assert error_of(copy).startswith(
        "indicators.yaml: indicator A.3: field 'instruments[0]': source AN has no instrument"
    )


def test_duplicate_code_across_sub_indicators_is_reported(copy: Path) -> None:
    """Two indicators sharing a code (here a sub of A.2 reusing A.1.1) are rejected."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "A.2.1").update(code="A.1.1"))
    message = error_of(copy)
    assert "indicators.yaml: indicator A.1.1: field 'code': duplicate code" in message


def test_sub_indicator_code_outside_its_parent_is_reported(copy: Path) -> None:
    """A sub-indicator of A.2 coded A.9.1 is rejected."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "A.2.4").update(code="A.9.1"))
    assert error_of(copy).startswith(
        "indicators.yaml: indicator A.9.1: field 'code': a sub-indicator's code must start with"
    )


def test_missing_measure_on_a_school_indicator_is_reported(copy: Path) -> None:
    """A guru indicator without a measure is rejected."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "D.3").pop("measure"))
    assert error_of(copy).startswith("indicators.yaml: indicator D.3: field 'measure': is required")


def test_missing_measure_on_a_sub_indicator_is_reported(copy: Path) -> None:
    """A sub-indicator of a siswa indicator without a measure is rejected."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "D.1.2").pop("measure"))
    assert error_of(copy).startswith(
        "indicators.yaml: indicator D.1.2: field 'measure': is required"
    )


def test_measure_on_a_population_indicator_is_reported(copy: Path) -> None:
    """A penduduk indicator must not name a respondent-level measure."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "APK-SD").update(measure="apk"))
    assert error_of(copy).startswith(
        "indicators.yaml: indicator APK-SD: field 'measure': must be absent for a penduduk"
    )


def test_measure_used_twice_is_reported(copy: Path) -> None:
    """Two indicators fed by the same measure (a copy-paste slip) are rejected."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "A.2.1").update(measure="literacy_access"))
    assert error_of(copy).startswith(
        "indicators.yaml: indicator A.2.1: field 'measure': measure 'literacy_access' already "
        "feeds indicator A.1.3"
    )


def test_missing_participation_block_is_reported(copy: Path) -> None:
    """A penduduk indicator without its participation block is rejected."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "APM-SMA").pop("participation"))
    assert error_of(copy).startswith(
        "indicators.yaml: indicator APM-SMA: field 'participation': is required"
    )


def test_participation_block_on_a_school_indicator_is_reported(copy: Path) -> None:
    """A siswa indicator with a participation block is rejected."""
    block = {"formula": "aps", "age_min": 7, "age_max": 12, "jenjang": "dasar"}
    edit(copy, "indicators.yaml", lambda d: indicator(d, "A.3").update(participation=block))
    assert error_of(copy).startswith(
        "indicators.yaml: indicator A.3: field 'participation': only penduduk indicators"
    )


def test_participation_with_unknown_jenjang_is_reported(copy: Path) -> None:
    """A participation block enrolling at a jenjang that filters.yaml lacks is rejected."""
    edit(
        copy,
        "indicators.yaml",
        lambda d: indicator(d, "APK-SMA")["participation"].update(jenjang="tinggi"),
    )
    assert error_of(copy).startswith(
        "indicators.yaml: indicator APK-SMA: field 'participation.jenjang': unknown jenjang"
    )


def test_inverted_age_band_is_reported(copy: Path) -> None:
    """An age band whose minimum exceeds its maximum is rejected."""
    edit(
        copy,
        "indicators.yaml",
        lambda d: indicator(d, "APS-SMP")["participation"].update(age_min=16),
    )
    assert error_of(copy).startswith(
        "indicators.yaml: indicator APS-SMP: field 'participation.age_max': must not be below"
    )


def test_unknown_jenjang_on_an_indicator_is_reported(copy: Path) -> None:
    """An indicator shown under a jenjang group that filters.yaml lacks is rejected."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "D.6")["jenjang"].append("paud"))
    assert error_of(copy).startswith(
        "indicators.yaml: indicator D.6: field 'jenjang[4]': unknown jenjang 'paud'"
    )


def test_school_level_on_a_population_indicator_is_reported(copy: Path) -> None:
    """A participation indicator cannot be published for single schools."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "APS-SD")["levels"].append("sekolah"))
    assert error_of(copy).startswith(
        "indicators.yaml: indicator APS-SD: field 'levels': a penduduk indicator cannot"
    )


def test_narrative_for_an_unknown_band_is_reported(copy: Path) -> None:
    """A narrative override keyed by a band the label set lacks is rejected."""
    edit(
        copy,
        "indicators.yaml",
        lambda d: indicator(d, "A.3")["narratives"].update(mahir={"id": "x", "en": "x"}),
    )
    assert error_of(copy).startswith(
        "indicators.yaml: indicator A.3: field 'narratives.mahir': label set perkembangan has "
        "no band 'mahir'"
    )


def test_unknown_ability_distribution_is_reported(copy: Path) -> None:
    """An ability distribution that label_sets.yaml does not define is rejected."""
    edit(
        copy,
        "indicators.yaml",
        lambda d: indicator(d, "A.2").update(ability_distribution="numerasi"),
    )
    assert error_of(copy).startswith(
        "indicators.yaml: indicator A.2: field 'ability_distribution': unknown ability "
        "distribution 'numerasi'"
    )


def test_missing_required_field_is_reported(copy: Path) -> None:
    """An indicator without a definition fails the schema, naming the missing field."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "A.1").pop("definition"))
    assert error_of(copy).startswith(
        "indicators.yaml: indicator A.1: field 'definition': is required"
    )


def test_misspelt_field_is_reported_with_the_allowed_ones(copy: Path) -> None:
    """A misspelt field name fails the schema and lists the allowed names."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "D.8").update(mesure="x"))
    message = error_of(copy)
    assert message.startswith("indicators.yaml: indicator D.8: field 'mesure': unknown field")
    assert "measure" in message


def test_wrong_type_inside_a_sub_indicator_names_the_sub(copy: Path) -> None:
    """A number where a sub-indicator's measure name belongs names that sub-indicator."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "A.1.3").update(measure=5))
    assert error_of(copy).startswith(
        "indicators.yaml: indicator A.1.3: field 'measure': expected text, got a number 5"
    )


def test_invalid_respondent_lists_the_allowed_values(copy: Path) -> None:
    """A respondent outside siswa/guru/penduduk fails the schema with the allowed values."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "D.1").update(respondent="murid"))
    assert error_of(copy).startswith(
        "indicators.yaml: indicator D.1: field 'respondent': 'murid' is not allowed "
        "(allowed: siswa, guru, penduduk)"
    )


def test_missing_english_text_is_reported(copy: Path) -> None:
    """A name without its English text fails the schema at name.en."""
    edit(copy, "indicators.yaml", lambda d: indicator(d, "A.2.3")["name"].pop("en"))
    assert error_of(copy).startswith(
        "indicators.yaml: indicator A.2.3: field 'name.en': is required"
    )


def test_indicator_without_code_is_named_by_position(copy: Path) -> None:
    """An indicator missing its code is located by its position in the list."""
    edit(copy, "indicators.yaml", lambda d: d["indicators"][2].pop("code"))
    assert error_of(copy).startswith(
        "indicators.yaml: indicator at index 2: field 'code': is required"
    )


def test_bounds_that_do_not_increase_are_reported(copy: Path) -> None:
    """A band whose lower bound is not above the previous one is rejected."""
    edit(
        copy,
        "label_sets.yaml",
        lambda d: d["label_sets"]["kompetensi"]["bands"][2].update(lower_bound=40),
    )
    assert error_of(copy).startswith(
        "label_sets.yaml: label set kompetensi: field 'bands[2].lower_bound': bounds must "
        "increase strictly"
    )


def test_open_lower_bound_after_the_first_band_is_reported(copy: Path) -> None:
    """Only the first band may have a null lower bound."""
    edit(
        copy,
        "label_sets.yaml",
        lambda d: d["label_sets"]["keamanan"]["bands"][1].update(lower_bound=None),
    )
    assert error_of(copy).startswith(
        "label_sets.yaml: label set keamanan: field 'bands[1].lower_bound': only the first band"
    )


def test_malformed_colour_is_reported(copy: Path) -> None:
    """A colour that is not #RRGGBB fails the schema with a hint."""
    edit(
        copy,
        "label_sets.yaml",
        lambda d: d["label_sets"]["kualitas"]["bands"][0].update(colour="red"),
    )
    assert error_of(copy).startswith(
        "label_sets.yaml: label set kualitas: field 'bands[0].colour': 'red' is not a hex colour"
    )


def test_unquoted_colour_is_reported_with_a_hint_to_quote_it(copy: Path) -> None:
    """An unquoted colour reads as a YAML comment; the message says to quote it."""
    replace_text(copy, "label_sets.yaml", 'colour: "#175CD3"', "colour: #175CD3")
    message = error_of(copy)
    assert message.startswith(
        "label_sets.yaml: ability level 4: field 'colour': expected text, got nothing"
    )
    assert "quote it" in message


def test_unreadable_colour_is_reported(copy: Path) -> None:
    """A pale colour that white text cannot sit on is rejected."""
    edit(
        copy,
        "label_sets.yaml",
        lambda d: d["label_sets"]["partisipasi"]["bands"][1].update(colour="#FFD54F"),
    )
    assert error_of(copy).startswith(
        "label_sets.yaml: label set partisipasi: field 'bands[1].colour': colour #FFD54F has "
        "contrast"
    )


def test_distribution_missing_a_level_description_is_reported(copy: Path) -> None:
    """An ability distribution must describe every ability level."""
    edit(
        copy,
        "label_sets.yaml",
        lambda d: d["ability_distributions"]["numeracy"]["descriptions"].pop("di_atas"),
    )
    assert error_of(copy).startswith(
        "label_sets.yaml: ability distribution numeracy: field 'descriptions': no description "
        "for level(s): di_atas"
    )


def test_programme_outside_its_jenjang_is_reported(copy: Path) -> None:
    """A programme bentuk that its jenjang group does not offer is rejected."""

    def break_pkbm(data: dict[str, Any]) -> None:
        data["programmes"][-1]["programme_bentuk"] = "paket_b"  # pkbm at menengah

    edit(copy, "filters.yaml", break_pkbm)
    assert error_of(copy).startswith(
        "filters.yaml: programme at index 15: field 'programme_bentuk': 'paket_b' is not "
        "offered in jenjang menengah"
    )


def test_jenjang_group_with_unknown_bentuk_is_reported(copy: Path) -> None:
    """A jenjang group offering a bentuk that is not a programme is rejected."""
    edit(copy, "filters.yaml", lambda d: d["jenjang"][3]["bentuk"].append("slb"))
    assert error_of(copy).startswith(
        "filters.yaml: jenjang khusus: field 'bentuk[3]': 'slb' is not a programme bentuk"
    )


def test_school_bentuk_without_programme_is_reported(copy: Path) -> None:
    """A school bentuk whose students would map to no programme is rejected."""
    edit(copy, "filters.yaml", lambda d: d["programmes"].pop(1))  # mi at dasar
    assert error_of(copy).startswith(
        "filters.yaml: bentuk mi: field 'school': school bentuk has no programme"
    )


def test_unknown_region_excluded_bentuk_is_reported(copy: Path) -> None:
    """A region-excluded bentuk that is not a school bentuk is rejected."""
    edit(copy, "filters.yaml", lambda d: d["region_excluded"]["school_bentuk"].append("paket_a"))
    assert error_of(copy).startswith(
        "filters.yaml: region_excluded: field 'school_bentuk[2]': 'paket_a' is not a school"
    )


def test_bad_version_is_reported(copy: Path) -> None:
    """A version that is not year.month.patch fails the schema."""
    edit(copy, "catalogue.yaml", lambda d: d.update(version="v1"))
    assert error_of(copy).startswith("catalogue.yaml: field 'version': 'v1' is not a version")


def test_yaml_syntax_error_names_line_and_nearest_indicator(copy: Path) -> None:
    """Broken YAML is reported with its line and the indicator being written there."""
    replace_text(copy, "indicators.yaml", "    measure: character_index", "    measure: [oops")
    message = error_of(copy)
    assert message.startswith("indicators.yaml: near indicator A.3: line ")
    assert "YAML error" in message


def test_duplicate_yaml_key_is_reported(copy: Path) -> None:
    """A key given twice in one mapping is an error, not a silent overwrite."""
    replace_text(
        copy,
        "indicators.yaml",
        "    measure: gender_equality\n",
        "    measure: gender_equality\n    measure: diversity\n",
    )
    message = error_of(copy)
    assert message.startswith("indicators.yaml: near indicator D.5: field 'measure': line ")
    assert "duplicate key 'measure'" in message


def test_missing_file_is_reported(copy: Path) -> None:
    """A catalogue folder without one of its files names the missing file."""
    (copy / "filters.yaml").unlink()
    assert error_of(copy).startswith("filters.yaml: file not found in ")


def test_empty_file_is_reported(copy: Path) -> None:
    """An empty file fails the schema instead of crashing the loader."""
    (copy / "label_sets.yaml").write_text("", encoding="utf-8")
    assert error_of(copy).startswith("label_sets.yaml: expected a mapping, got nothing")


def test_every_problem_gets_its_own_line(copy: Path) -> None:
    """Several problems are all reported, one line each, in file order."""

    def break_two(data: dict[str, Any]) -> None:
        indicator(data, "A.1").update(label_set="nope")
        indicator(data, "D.8").update(dimension="Q")

    edit(copy, "indicators.yaml", break_two)
    lines = error_of(copy).splitlines()
    assert [line.split(": field")[0] for line in lines] == [
        "indicators.yaml: indicator A.1",
        "indicators.yaml: indicator D.8",
    ]
