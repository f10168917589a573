"""The synthetic data generator (`rapor.synth`) at small scale."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from rapor.synth import generate
from rapor.synth.assessment import TEACHER_SCALES
from rapor.synth.calibration import TARGETS

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "docs" / "data-sources.md"
REGIONS = ROOT / "src" / "rapor" / "reference" / "regions.csv"
TABLES = (
    "schools",
    "an_students",
    "an_teachers",
    "bps_population",
    "bps_enrolment",
    "bps_kabkota_profile",
)
DOC_TYPES = {
    "text": pa.types.is_string,
    "int": pa.types.is_integer,
    "float": pa.types.is_floating,
    "date": pa.types.is_date32,
    "bool": pa.types.is_boolean,
}
YEARS = (2022, 2023, 2024)
BENTUK = ["sd", "mi", "sdlb", "smp", "mts", "smplb", "sma", "ma", "smk", "smalb", "slb", "pkbm"]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("small")
    return out, generate(out, scale="small", years=YEARS)


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("broken")
    return out, generate(out, scale="small", years=YEARS, inject_errors=12)


def regions() -> list[dict[str, str]]:
    return list(csv.DictReader(REGIONS.read_text(encoding="utf-8").splitlines()))


def read(out: Path, table: str) -> pl.DataFrame:
    return pl.read_parquet(out / f"{table}.parquet")


def documented_columns() -> dict[str, list[tuple[str, str]]]:
    """(column, type) per table, in order, from the contract's markdown tables."""
    tables: dict[str, list[tuple[str, str]]] = {}
    known: dict[str, str] = {}
    current = None
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):  # only "## `table` ..." sections hold column tables
            heading = re.match(r"## `(\w+)`", line)
            current = tables.setdefault(heading.group(1), []) if heading else None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if current is None or len(cells) < 2 or not cells[0].startswith("`"):
            continue
        for name in re.findall(r"`(\w+)`", cells[0]):
            kind = cells[1] or known[name]  # an empty type means "as in the table above"
            known[name] = kind
            current.append((name, kind))
    return tables


def bad_rows(out: Path) -> set[tuple]:
    """Every row that breaks the contract, as (table, kind, key) with the key sorted."""
    codes = {row["code"] for row in regions()}
    schools = read(out, "schools")
    students = read(out, "an_students")
    teachers = read(out, "an_teachers")
    population = read(out, "bps_population")
    npsn = set(schools["npsn"])
    found: set[tuple] = set()

    def add(table: str, kind: str, frame: pl.DataFrame, *keys: str) -> None:
        for row in frame.select(keys).unique().iter_rows(named=True):
            found.add((table, kind, tuple(sorted(row.items()))))

    add("schools", "duplicate_npsn", schools.filter(pl.col("npsn").is_duplicated()), "npsn")
    unknown = schools.filter(~pl.col("kabkota_code").is_in(codes))
    add("schools", "unknown_kabkota", unknown, "npsn")
    bentuk = schools.filter(~pl.col("bentuk").is_in(BENTUK))
    add("schools", "invalid_bentuk", bentuk, "npsn")
    over = students.filter(~pl.col("literacy_score").is_between(0, 100))
    add("an_students", "literacy_out_of_range", over, "year", "student_id")
    orphans = students.filter(~pl.col("npsn").is_in(npsn))
    add("an_students", "orphan_npsn", orphans, "year", "student_id")
    duplicate = students.filter(pl.struct("year", "student_id").is_duplicated())
    add("an_students", "duplicate_student_id", duplicate, "year", "student_id")
    level = students.filter(~pl.col("literacy_level").is_between(1, 4))
    add("an_students", "invalid_literacy_level", level, "year", "student_id")
    orphans = teachers.filter(~pl.col("npsn").is_in(npsn))
    add("an_teachers", "orphan_npsn", orphans, "year", "respondent_id")
    negative = population.filter(pl.col("population") < 0)
    add(
        "bps_population",
        "negative_population",
        negative,
        "kabkota_code",
        "year",
        "age",
        "ses_quintile",
    )
    return found


def school_values(out: Path, year: int) -> pl.DataFrame:
    """Per school and jenjang: % at level 3+ in literacy, with school attributes."""
    students = read(out, "an_students").filter(pl.col("year") == year)
    return (
        students.group_by("npsn", "jenjang")
        .agg(
            pl.len().alias("n"),
            ((pl.col("literacy_level") >= 3).mean() * 100).alias("literacy"),
            ((pl.col("numeracy_level") >= 3).mean() * 100).alias("numeracy"),
        )
        .join(read(out, "schools"), on="npsn")
        .with_columns(pl.col("kabkota_code").str.slice(0, 2).alias("province"))
    )


def national_values(out: Path, year: int) -> dict[tuple[str, str], float]:
    """The calibration's definition: mean over schools (not slb/pkbm, n >= 5) of % level 3+."""
    eligible = school_values(out, year).filter(
        ~pl.col("bentuk").is_in(["slb", "pkbm"]) & (pl.col("n") >= 5)
    )
    means = eligible.group_by("jenjang").agg(pl.col("literacy").mean(), pl.col("numeracy").mean())
    return {
        (domain, row["jenjang"]): row[domain]
        for row in means.iter_rows(named=True)
        for domain in ("literacy", "numeracy")
    }


def participation(out: Path, low: int, high: int, by: str | None = None) -> pl.DataFrame:
    """APS: persons of the ages attending any level / persons of the ages, x 100."""
    keys = ["year", *([by] if by else [])]
    ages = pl.col("age").is_between(low, high)
    attending = read(out, "bps_enrolment").filter(ages).group_by(keys).agg(pl.sum("students"))
    persons = read(out, "bps_population").filter(ages).group_by(keys).agg(pl.sum("population"))
    return attending.join(persons, on=keys).with_columns(
        (100 * pl.col("students") / pl.col("population")).alias("aps")
    )


def test_same_arguments_give_identical_tables(small, tmp_path):
    """Generating twice with the same arguments writes the same content."""
    out, _ = small
    generate(tmp_path, scale="small", years=YEARS)
    for table in TABLES:
        assert pq.read_table(tmp_path / f"{table}.parquet").equals(
            pq.read_table(out / f"{table}.parquet")
        ), table


def test_another_seed_gives_other_data(small, tmp_path):
    """A different seed draws different schools."""
    out, _ = small
    generate(tmp_path, scale="small", seed=7, years=(2023,))
    assert not read(tmp_path, "schools")["npsn"].equals(read(out, "schools")["npsn"])


def test_every_documented_column_has_its_type(small):
    """Each table has exactly the contract's columns, in order, with the documented types."""
    out, _ = small
    documented = documented_columns()
    for table in TABLES:
        schema = pq.read_schema(out / f"{table}.parquet")
        assert schema.names == [name for name, _ in documented[table]], table
        for name, kind in documented[table]:
            assert DOC_TYPES[kind](schema.field(name).type), (table, name, kind)


def test_summary_counts_match_the_files(small):
    """The returned counts are the row counts of the written files."""
    out, summary = small
    for table in TABLES:
        assert summary["counts"][table] == pq.read_metadata(out / f"{table}.parquet").num_rows


def test_small_scale_is_two_contrasting_provinces(small):
    """`small` holds every kab/kota of DI Yogyakarta and Papua Tengah and ~2,000 schools."""
    out, _ = small
    expected = {r["code"] for r in regions() if r["parent_code"] in ("34", "94")}
    assert set(read(out, "bps_kabkota_profile")["kabkota_code"]) == expected
    assert set(read(out, "schools")["kabkota_code"]) <= expected
    assert 1_500 <= read(out, "schools").height <= 3_000


def test_codes_are_valid(small):
    """Region codes are kab/kota of regions.csv and every coded column uses documented codes."""
    out, _ = small
    kabkota = {row["code"] for row in regions() if row["level"] == "kabkota"}
    for table in ("schools", "bps_population", "bps_enrolment", "bps_kabkota_profile"):
        assert set(read(out, table)["kabkota_code"]) <= kabkota, table
    schools = read(out, "schools")
    assert set(schools["bentuk"]) == set(BENTUK)
    assert set(schools["status"]) == {"negeri", "swasta"}
    assert set(schools["lokasi"]) == {"perkotaan", "perdesaan"}
    slb = schools.filter(pl.col("bentuk") == "slb")
    assert set(slb["slb_kind"]) == {"satu_atap", "tanpa_jenjang"}
    assert schools.filter(pl.col("bentuk") != "slb")["slb_kind"].is_null().all()
    tt = schools["accreditation"] == "TT"
    assert schools.filter(tt)["accreditation_valid_until"].is_null().all()
    assert schools.filter(~tt)["accreditation_valid_until"].is_not_null().all()
    students = read(out, "an_students")
    assert set(students["jenjang"]) == {"dasar", "menengah_pertama", "menengah"}
    assert set(students["gender"]) == {"L", "P"}
    assert set(read(out, "an_teachers")["role"]) == {"guru", "kepala_sekolah"}
    levels = {"paud", "dasar", "menengah_pertama", "menengah", "tinggi"}
    assert set(read(out, "bps_enrolment")["jenjang"]) == levels


def test_npsn_are_unique_eight_digit_numbers(small):
    """Every school has its own 8-digit NPSN."""
    out, _ = small
    npsn = read(out, "schools")["npsn"]
    assert npsn.is_unique().all()
    assert npsn.str.contains(r"^\d{8}$").all()


def test_sample_caps_and_ids(small):
    """At most 30 students per school at dasar and 45 elsewhere; ids are unique per year."""
    out, _ = small
    students = read(out, "an_students")
    sizes = students.group_by("year", "npsn", "jenjang").len()
    caps = pl.when(pl.col("jenjang") == "dasar").then(30).otherwise(45)
    assert sizes.filter(pl.col("len") > caps).is_empty()
    assert not students.select(pl.struct("year", "student_id").is_duplicated().any()).item()
    teachers = read(out, "an_teachers")
    assert not teachers.select(pl.struct("year", "respondent_id").is_duplicated().any()).item()


def test_grades_follow_jenjang_and_paket(small):
    """Students sit at grade 5/8/11, or 6/9/12 for Paket A/B/C in a PKBM."""
    out, _ = small
    students = read(out, "an_students").join(read(out, "schools"), on="npsn")
    pairs = set(students.select("bentuk", "jenjang", "grade").unique().iter_rows())
    paket = {(b, j, g) for b, j, g in pairs if b == "pkbm"}
    assert paket <= {
        ("pkbm", "dasar", 6),
        ("pkbm", "menengah_pertama", 9),
        ("pkbm", "menengah", 12),
    }
    regular = {(j, g) for b, j, g in pairs if b != "pkbm"}
    assert regular == {("dasar", 5), ("menengah_pertama", 8), ("menengah", 11)}


def test_scores_are_on_the_scale_and_levels_follow_them(small):
    """All scores lie in 0-100 and each level is the score's band (cuts at 36, 50, 68)."""
    out, _ = small
    students = read(out, "an_students")
    scores = students.select(pl.selectors.float().exclude("ses_index"))
    assert scores.select(pl.all().is_between(0, 100).all()).row(0) == (True,) * scores.width
    for domain in ("literacy", "numeracy"):
        score = pl.col(f"{domain}_score")
        expected = 1 + (score >= 36).cast(pl.Int16) + (score >= 50) + (score >= 68)
        assert students.select((pl.col(f"{domain}_level") == expected).all()).item()


def test_each_school_has_one_principal_per_year(small):
    """Every school has one kepala_sekolah and 5-19 guru respondents each year."""
    out, _ = small
    teachers = read(out, "an_teachers")
    per_school = teachers.group_by("year", "npsn").agg(
        (pl.col("role") == "kepala_sekolah").sum().alias("heads"), pl.len().alias("n")
    )
    assert (per_school["heads"] == 1).all()
    assert per_school["n"].is_between(6, 20).all()
    assert per_school.height == read(out, "schools").height * len(YEARS)


def test_2023_national_values_hit_the_published_targets(small):
    """The 2023 national literacy and numeracy values are within 1 point of their targets."""
    out, _ = small
    values = national_values(out, 2023)
    for j, jenjang in enumerate(("dasar", "menengah_pertama", "menengah")):
        for domain in ("literacy", "numeracy"):
            assert values[(domain, jenjang)] == pytest.approx(
                TARGETS[(domain, 2023)][j], abs=1.0
            ), (domain, jenjang)


def test_summary_reports_the_realised_national_values(small):
    """`national_values` in the summary equals the values recomputed from the files."""
    out, summary = small
    values = national_values(out, 2022)
    for (domain, jenjang), value in values.items():
        assert summary["national_values"][2022][domain][jenjang] == pytest.approx(value, abs=0.01)


def test_papua_tengah_scores_below_yogyakarta(small):
    """Schools in Papua Tengah have clearly lower literacy than schools in DI Yogyakarta."""
    out, _ = small
    by_province = dict(
        school_values(out, 2023).group_by("province").agg(pl.col("literacy").mean()).iter_rows()
    )
    assert by_province["94"] < by_province["34"] - 20


def test_advantaged_schools_score_higher(small):
    """Urban schools beat rural ones and the top SES quartile beats the bottom one."""
    out, _ = small
    values = school_values(out, 2023).filter(pl.col("province") == "34")
    lokasi = dict(values.group_by("lokasi").agg(pl.col("literacy").mean()).iter_rows())
    assert lokasi["perkotaan"] > lokasi["perdesaan"]
    low, high = values["ses_index"].quantile(0.25), values["ses_index"].quantile(0.75)
    bottom = values.filter(pl.col("ses_index") <= low)["literacy"].mean()
    top = values.filter(pl.col("ses_index") >= high)["literacy"].mean()
    assert top > bottom + 10


def test_school_participation_is_near_the_published_rates(small):
    """APS 7-15 is about 99.08 and APS 16-18 about 73.15, with Q1 below Q5 at 16-18."""
    out, _ = small
    for year in (2022, 2023):
        aps = participation(out, 7, 15).filter(pl.col("year") == year)["aps"].item()
        assert aps == pytest.approx(99.08, abs=0.5)
        aps = participation(out, 16, 18).filter(pl.col("year") == year)["aps"].item()
        assert aps == pytest.approx(73.15, abs=1.0)
    by_quintile = participation(out, 16, 18, by="ses_quintile").filter(pl.col("year") == 2023)
    rates = dict(by_quintile.select("ses_quintile", "aps").iter_rows())
    assert rates[1] < rates[5] - 15


def test_participation_moves_from_year_to_year(small):
    """Attendance at 16-18 rises a little from 2022 to 2023, and each kab/kota's rate moves by
    an amount of its own (a trend page of identical years looks made up, and hides bugs)."""
    out, _ = small
    national = dict(participation(out, 16, 18).select("year", "aps").iter_rows())
    assert 0.2 < national[2023] - national[2022] < 3
    by_kabkota = participation(out, 16, 18, by="kabkota_code")
    change = by_kabkota.pivot("year", index="kabkota_code", values="aps").select(
        (pl.col("2023") - pl.col("2022")).alias("change")
    )["change"]
    assert change.std() > 0.3


def test_survey_scales_do_not_move_in_lock_step(small):
    """Each teacher-survey scale's national mean moves by its own amount from 2023 to 2024."""
    out, _ = small
    scales = list(TEACHER_SCALES)
    means = read(out, "an_teachers").group_by("year").agg(pl.mean(scales)).sort("year")
    moved = means.filter(pl.col("year").is_in([2023, 2024])).select(pl.col(scales).diff()).row(1)
    assert max(moved) - min(moved) > 0.3, moved


def test_enrolment_never_exceeds_population(small):
    """No cell has more persons attending school than persons."""
    out, _ = small
    keys = ["kabkota_code", "year", "age", "ses_quintile"]
    attending = read(out, "bps_enrolment").group_by(keys).agg(pl.sum("students"))
    cells = attending.join(read(out, "bps_population"), on=keys, how="left")
    assert cells.filter(~(pl.col("students") <= pl.col("population"))).is_empty()


def test_bps_tables_lag_one_year(small):
    """Population and enrolment stop a year before the newest AN year; profiles do not."""
    out, summary = small
    assert set(read(out, "bps_population")["year"]) == {2022, 2023}
    assert set(read(out, "bps_enrolment")["year"]) == {2022, 2023}
    assert set(read(out, "bps_kabkota_profile")["year"]) == set(YEARS)
    assert set(read(out, "an_students")["year"]) == set(YEARS)
    assert summary["bps_years"] == [2022, 2023]


def test_clean_data_has_no_bad_rows(small):
    """Without inject_errors nothing breaks the contract and nothing is recorded."""
    out, summary = small
    assert bad_rows(out) == set()
    assert summary["injected"] == []


def test_injected_errors_are_exactly_the_recorded_bad_rows(broken):
    """inject_errors=N adds N bad rows, and they are exactly the rows that break the contract."""
    out, summary = broken
    recorded = {
        (item["table"], item["kind"], tuple(sorted(item["key"].items())))
        for item in summary["injected"]
    }
    assert len(summary["injected"]) == 12
    assert len(recorded) == 12
    assert bad_rows(out) == recorded


def test_injected_rows_leave_the_rest_untouched(small, broken):
    """Bad rows come after the clean rows of their year, which are unchanged."""
    (clean, _), (dirty, summary) = small, broken
    assert read(dirty, "schools").head(read(clean, "schools").height).equals(read(clean, "schools"))
    for table in ("an_students", "an_teachers"):
        for year in YEARS:
            original = read(clean, table).filter(pl.col("year") == year)
            changed = read(dirty, table).filter(pl.col("year") == year)
            assert changed.head(original.height).equals(original), (table, year)
    negatives = [i for i in summary["injected"] if i["kind"] == "negative_population"]
    differ = (
        read(dirty, "bps_population")["population"] != read(clean, "bps_population")["population"]
    )
    assert differ.sum() == len(negatives)


def test_unknown_scale_is_rejected(tmp_path):
    """An unknown scale name raises a ValueError naming the valid ones."""
    with pytest.raises(ValueError, match="small"):
        generate(tmp_path, scale="huge")
