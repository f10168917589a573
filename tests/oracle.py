"""An independent implementation of the release tables in plain polars: the test "oracle".

It is written from the documented rules only (docs/data-sources.md, docs/release-format.md,
docs/peer-groups.md, docs/indicators.md and the catalogue), never from the pipeline's SQL, so a
test that compares the two catches a mistake in either. It expects clean raw inputs (no row that
validation would reject) and prefers being obviously right to being fast.

The public functions take the raw folder and return frames shaped like the release tables:
`indicator_values`, `ability_distribution`, `participation_by_ses` and `peer_values` (whose
`peer_group` names are the oracle's own: the docs define the groups, not their names).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import polars as pl

from rapor.catalogue import Catalogue, load_catalogue
from rapor.uncertainty import INTERVAL_Z

REGIONS_CSV = Path(__file__).resolve().parents[1] / "src" / "rapor" / "reference" / "regions.csv"
NATION = "ID"
ALL = "semua"  # the unfiltered bentuk and status
KEY = ["entity_type", "entity_code", "year", "jenjang", "bentuk", "status", "indicator"]
PROGRAMME = ["year", "npsn", "jenjang"]  # a school's students tested at one jenjang in one year

# Typed raw columns (docs/data-sources.md); CSV inputs are read as text and cast.
RAW_TYPES: dict[str, dict[str, pl.DataType]] = {
    "schools": {
        "npsn": pl.String(),
        "bentuk": pl.String(),
        "status": pl.String(),
        "kabkota_code": pl.String(),
        "lokasi": pl.String(),
        "ses_index": pl.Float64(),
    },
    "an_students": {
        "year": pl.Int32(),
        "npsn": pl.String(),
        "jenjang": pl.String(),
        "grade": pl.Int32(),
        "literacy_level": pl.Int32(),
        "numeracy_level": pl.Int32(),
    },
    "an_teachers": {"year": pl.Int32(), "npsn": pl.String()},
    "bps_population": {
        "kabkota_code": pl.String(),
        "year": pl.Int32(),
        "age": pl.Int32(),
        "ses_quintile": pl.Int32(),
        "population": pl.Int64(),
    },
    "bps_enrolment": {
        "kabkota_code": pl.String(),
        "year": pl.Int32(),
        "age": pl.Int32(),
        "ses_quintile": pl.Int32(),
        "jenjang": pl.String(),
        "students": pl.Int64(),
    },
    "bps_kabkota_profile": {
        "kabkota_code": pl.String(),
        "year": pl.Int32(),
        "poverty_rate_pct": pl.Float64(),
        "urban_population_pct": pl.Float64(),
        "is_3t": pl.Boolean(),
    },
}
AN_TEXT = ("student_id", "gender", "respondent_id", "role")  # every other AN column is a score
# Respondent-level measures that are means of raw columns (docs/indicators.md).
MEAN_OF = {
    "learning_quality": (
        "learning_classroom_mgmt",
        "learning_cognitive_activation",
        "learning_affective_support",
    ),
    "safety": ("safety_bullying", "safety_punishment", "safety_sexual_violence"),
}


# ------------------------------------------------------------------------------ raw inputs


@dataclass(frozen=True)
class Raw:
    schools: pl.DataFrame
    students: pl.DataFrame
    teachers: pl.DataFrame
    population: pl.DataFrame
    enrolment: pl.DataFrame
    profile: pl.DataFrame
    regions: pl.DataFrame  # the shipped Kemendagri reference


def read_raw(raw_dir: Path) -> Raw:
    tables = {table: _read_table(Path(raw_dir), table) for table in RAW_TYPES}
    return Raw(
        schools=tables["schools"],
        students=tables["an_students"],
        teachers=tables["an_teachers"],
        population=tables["bps_population"],
        enrolment=tables["bps_enrolment"],
        profile=tables["bps_kabkota_profile"],
        regions=pl.read_csv(REGIONS_CSV, infer_schema=False),
    )


def _read_table(raw_dir: Path, table: str) -> pl.DataFrame:
    parquet, csv = raw_dir / f"{table}.parquet", raw_dir / f"{table}.csv"
    frame = pl.read_parquet(parquet) if parquet.exists() else pl.read_csv(csv, infer_schema=False)
    typed = [pl.col(name).cast(dtype) for name, dtype in RAW_TYPES[table].items()]
    # Scores are float32 in the synthetic Parquet: average them as doubles, as SQL does.
    scores = [
        pl.col(name).cast(pl.Float64)
        for name in frame.columns
        if table.startswith("an_") and name not in RAW_TYPES[table] and name not in AN_TEXT
    ]
    return frame.with_columns(*typed, *scores)


def kabkota_facts(raw: Raw) -> pl.DataFrame:
    """kabkota_code -> provinsi_code, and whether it is a kota rather than a kabupaten."""
    return raw.regions.filter(pl.col("level") == "kabkota").select(
        pl.col("code").alias("kabkota_code"),
        pl.col("parent_code").alias("provinsi_code"),
        pl.col("name").str.starts_with("Kota ").alias("is_kota"),
    )


def by_region(frame: pl.DataFrame) -> pl.DataFrame:
    """Each kab/kota row three times: for its kab/kota, its province and the nation."""
    return pl.concat(
        [
            frame.with_columns(entity_type=pl.lit("kabkota"), entity_code="kabkota_code"),
            frame.with_columns(entity_type=pl.lit("provinsi"), entity_code="provinsi_code"),
            frame.with_columns(entity_type=pl.lit("nasional"), entity_code=pl.lit(NATION)),
        ]
    )


# ------------------------------------------------------------------------- catalogue facts


def _pairs(rows: list[tuple], schema: list[str] | dict) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row")


def published_at(catalogue: Catalogue) -> pl.DataFrame:
    """(indicator, entity_type): the levels each indicator is published for."""
    return _pairs(
        [(each.code, level) for each in catalogue.all_indicators for level in each.levels],
        ["indicator", "entity_type"],
    )


def shown_under(catalogue: Catalogue) -> pl.DataFrame:
    """(indicator, group): the dashboard jenjang groups each indicator is shown under."""
    return _pairs(
        [(each.code, group) for each in catalogue.all_indicators for group in each.jenjang],
        ["indicator", "group"],
    )


def group_bentuk(catalogue: Catalogue) -> pl.DataFrame:
    """(group, bentuk): the programme bentuk each jenjang group offers (SDLB is in two)."""
    return _pairs(
        [(group.key, code) for group in catalogue.filters.jenjang for code in group.bentuk],
        ["group", "bentuk"],
    )


def as_printed(value: pl.Expr) -> pl.Expr:
    """A value as the pages print it: two decimals, half up from its decimal form (after 9)."""
    return value.map_elements(
        lambda number: float(
            Decimal(repr(round(number, 9))).quantize(Decimal("0.01"), ROUND_HALF_UP)
        ),
        return_dtype=pl.Float64,
    )


def with_labels(frame: pl.DataFrame, catalogue: Catalogue) -> pl.DataFrame:
    """Add `label` and `label_key` of the band holding `value` as printed, two decimals rounded
    half up from the decimal form (after 9, as the pipeline does; lower bound inclusive)."""
    bands = _pairs(
        [
            (each.code, band.lower_bound, band.upper_bound, band.label.id, band.key)
            for each in catalogue.all_indicators
            for band in each.bands
        ],
        {
            "indicator": pl.String,
            "lower": pl.Float64,
            "upper": pl.Float64,
            "label": pl.String,
            "label_key": pl.String,
        },
    )
    numbered = frame.with_row_index("_row")
    printed = as_printed(pl.col("value"))
    labels = (
        numbered.select("_row", "indicator", "value")
        .join(bands, on="indicator")
        .filter(
            (pl.col("lower").is_null() | (printed >= pl.col("lower")))
            & (pl.col("upper").is_null() | (printed < pl.col("upper")))
        )
        .select("_row", "label", "label_key")
    )
    return numbered.join(labels, on="_row", how="left").drop("_row")


# -------------------------------------------------------------------- schools and programmes


def programmes(raw: Raw, catalogue: Catalogue) -> pl.DataFrame:
    """One row per programme (year, school, jenjang tested) with the school's facts.

    `bentuk` is the programme bentuk (an SLB tested at dasar runs an SDLB programme) and
    `in_regions` is false for the school bentuk left out of region figures (PKBM, SLB).
    """
    mapping = _pairs(
        [(p.school_bentuk, p.jenjang, p.programme_bentuk) for p in catalogue.filters.programmes],
        ["school_bentuk", "jenjang", "bentuk"],
    )
    excluded = list(catalogue.filters.region_excluded_school_bentuk)
    schools = raw.schools.select(
        "npsn", pl.col("bentuk").alias("school_bentuk"), "status", "kabkota_code", "lokasi",
        "ses_index",
    ).join(kabkota_facts(raw), on="kabkota_code", how="left")  # fmt: skip
    return (
        raw.students.select(PROGRAMME)
        .unique()
        .join(schools, on="npsn")
        .join(mapping, on=["school_bentuk", "jenjang"])
        .with_columns(in_regions=~pl.col("school_bentuk").is_in(excluded))
    )


def student_measures(students: pl.DataFrame) -> pl.DataFrame:
    """Students with the derived measures (docs/indicators.md) added."""
    meets = {
        f"{domain}_meets_minimum": pl.when(pl.col(f"{domain}_level") >= 3)
        .then(100.0)
        .otherwise(0.0)
        for domain in ("literacy", "numeracy")
    }
    means = {name: pl.sum_horizontal(parts) / len(parts) for name, parts in MEAN_OF.items()}
    return students.with_columns(**meets, **means)


def school_values(raw: Raw, catalogue: Catalogue, min_respondents: int) -> pl.DataFrame:
    """Per programme and school-based indicator: the mean measure over `n` respondents.

    Students count for their programme; teachers for their school, so every programme of the
    school that year shares the teacher values. A value from fewer than `min_respondents`
    respondents is withheld (`value` null, `suppressed`).
    """
    indicators = [each for each in catalogue.all_indicators if each.measure is not None]
    measures = _pairs(
        [(each.code, each.measure, each.respondent, each.unit) for each in indicators],
        ["indicator", "measure", "respondent", "unit"],
    )
    siswa = sorted({each.measure for each in indicators if each.respondent == "siswa"})
    guru = sorted({each.measure for each in indicators if each.respondent == "guru"})
    per_programme = (
        student_measures(raw.students)
        .group_by(PROGRAMME)
        .agg(pl.len().alias("n"), *[pl.col(measure).mean() for measure in siswa])
        .unpivot(index=[*PROGRAMME, "n"], on=siswa, variable_name="measure")
    )
    # The standard error of each mean: the students' standard deviation over sqrt(n).
    spread = (
        student_measures(raw.students)
        .group_by(PROGRAMME)
        .agg(*[pl.col(measure).std() / pl.len().sqrt() for measure in siswa])
        .unpivot(index=PROGRAMME, on=siswa, variable_name="measure", value_name="std_error")
    )
    per_programme = per_programme.join(spread, on=[*PROGRAMME, "measure"])
    per_school = (
        raw.teachers.group_by("year", "npsn")
        .agg(pl.len().alias("n"), *[pl.col(measure).mean() for measure in guru])
        .unpivot(index=["year", "npsn", "n"], on=guru, variable_name="measure")
    )
    progs = programmes(raw, catalogue)
    # A programme whose school has no teacher response still gets (suppressed) teacher rows.
    teacher_rows = (
        progs.select(PROGRAMME)
        .join(pl.DataFrame({"measure": guru}), how="cross")
        .join(per_school, on=["year", "npsn", "measure"], how="left")
        .with_columns(pl.col("n").fill_null(0), std_error=pl.lit(None, pl.Float64))
        .select(per_programme.columns)
    )
    return (
        progs.join(pl.concat([per_programme, teacher_rows]), on=PROGRAMME)
        .join(measures, on="measure")
        .with_columns(pl.col("n").cast(pl.Int64), suppressed=pl.col("n") < min_respondents)
        .with_columns(value=pl.when(~pl.col("suppressed")).then("value"))
        .pipe(_with_school_interval)
    )


def _with_school_interval(values: pl.DataFrame) -> pl.DataFrame:
    """A sampled school value's 95 % interval: Wilson's score interval for a share of students
    (the textbook form, (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)), whose half-width
    over z is its standard error; the mean ± z standard errors, within 0-100, for a score."""
    z, n, p = INTERVAL_Z, pl.col("n"), pl.col("value") / 100
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * (p * (1 - p) / n + z**2 / (4 * n**2)).sqrt() / (1 + z**2 / n)
    is_share = (pl.col("respondent") == "siswa") & (pl.col("unit") == "persen")
    std_error = pl.when(is_share).then(100 * half / z).otherwise("std_error")
    lower = (
        pl.when(is_share)
        .then(100 * (centre - half))
        .otherwise((pl.col("value") - z * pl.col("std_error")).clip(lower_bound=0))
    )
    upper = (
        pl.when(is_share)
        .then(100 * (centre + half))
        .otherwise((pl.col("value") + z * pl.col("std_error")).clip(upper_bound=100))
    )
    published = ~pl.col("suppressed")
    return values.with_columns(
        std_error=pl.when(published).then(std_error),
        ci_lower=pl.when(published).then(lower),
        ci_upper=pl.when(published).then(upper),
    )


def level_shares(raw: Raw, catalogue: Catalogue, min_respondents: int) -> pl.DataFrame:
    """Per programme, ability-distribution indicator (A.1, A.2) and AKM level: the % of the
    programme's students at that level, shaped like `school_values` plus `level`, `level_key`."""
    levels = _pairs(
        [(level.level, level.key) for level in catalogue.ability_levels],
        {"level": pl.Int32, "level_key": pl.String},
    )
    students = raw.students.group_by(PROGRAMME).len("n")
    frames = []
    for each in catalogue.all_indicators:
        if each.ability_distribution is None:
            continue
        column = catalogue.ability_distribution(each.ability_distribution).level_measure
        at_level = raw.students.group_by(*PROGRAMME, pl.col(column).alias("level")).len("k")
        frames.append(
            students.join(levels, how="cross")  # a level nobody is at has a share of 0
            .join(at_level, on=[*PROGRAMME, "level"], how="left")
            .with_columns(
                indicator=pl.lit(each.code), value=100.0 * pl.col("k").fill_null(0) / pl.col("n")
            )
        )
    return (
        programmes(raw, catalogue)
        .join(pl.concat(frames), on=PROGRAMME)
        .with_columns(
            pl.col("n").cast(pl.Int64),
            respondent=pl.lit("siswa"),
            suppressed=pl.col("n") < min_respondents,
            std_error=pl.lit(None, pl.Float64),
        )
        .with_columns(value=pl.when(~pl.col("suppressed")).then("value"))
    )


# ------------------------------------------------------------------------ release rows


def school_rows(values: pl.DataFrame, catalogue: Catalogue, extra=()) -> pl.DataFrame:
    """School values as release rows: the school is the entity, its programme the filter."""
    sekolah = published_at(catalogue).filter(pl.col("entity_type") == "sekolah")
    return values.join(sekolah, on="indicator").select(
        "entity_type",
        pl.col("npsn").alias("entity_code"),
        *KEY[2:],
        *extra,
        "value",
        pl.lit(1, pl.Int64).alias("n_schools"),
        pl.when(pl.col("respondent") == "siswa").then("n").alias("n_students"),
        pl.when(pl.col("respondent") == "guru").then("n").alias("n_teachers"),
        "suppressed",
        pl.when("suppressed").then(pl.lit("few_respondents")).alias("suppression_reason"),
        *[column for column in ("std_error", "ci_lower", "ci_upper") if column in values.columns],
    )


def region_rows(values: pl.DataFrame, catalogue: Catalogue, extra=()) -> pl.DataFrame:
    """Region values: the mean of the publishable values of the region's counted schools.

    A school counts once under each filter it falls in: its region (kab/kota, province,
    nation), each jenjang group offering its programme bentuk, that bentuk or `semua`, its
    status or `semua`. A filter with schools but none publishable is suppressed.
    """
    key = [*KEY, *extra]
    counted = by_region(values.filter("in_regions"))
    in_groups = counted.join(group_bentuk(catalogue), on="bentuk").join(
        shown_under(catalogue), on=["indicator", "group"]
    )
    any_bentuk = pl.concat([in_groups, in_groups.with_columns(bentuk=pl.lit(ALL))])
    any_status = pl.concat([any_bentuk, any_bentuk.with_columns(status=pl.lit(ALL))])
    filtered = (
        any_status.drop("jenjang")
        .rename({"group": "jenjang"})
        .join(published_at(catalogue), on=["indicator", "entity_type"])
    )
    # "Each school counts once": a second programme of one school under a filter would
    # weigh that school twice. The programme mapping makes this impossible; check it.
    repeated = filtered.group_by(*key, "npsn").len().filter(pl.col("len") > 1)
    assert repeated.is_empty(), f"a school counts twice under one filter:\n{repeated.head()}"

    publishable = pl.col("value").is_not_null()
    respondents = pl.col("n").filter(publishable).sum()  # 0 when no school is publishable
    # The schools are fixed and their students sampled apart: the mean's variance is the sum of
    # the school variances over the number of schools squared.
    variance = (pl.col("std_error").filter(publishable) ** 2).sum() / publishable.sum() ** 2
    sampled = pl.col("std_error").filter(publishable).is_not_null().all()
    std_error = pl.col("std_error_")
    return (
        filtered.group_by(key)
        .agg(
            pl.col("value").mean(),  # the mean skips suppressed (null) school values
            publishable.sum().cast(pl.Int64).alias("n_schools"),
            pl.when(pl.col("respondent").first() == "siswa").then(respondents).alias("n_students"),
            pl.when(pl.col("respondent").first() == "guru").then(respondents).alias("n_teachers"),
            pl.when(sampled & (publishable.sum() > 0)).then(variance.sqrt()).alias("std_error_"),
        )
        .with_columns(suppressed=pl.col("value").is_null())
        .with_columns(
            suppression_reason=pl.when("suppressed").then(pl.lit("all_schools_suppressed")),
            std_error=std_error,
            ci_lower=(pl.col("value") - INTERVAL_Z * std_error).clip(lower_bound=0),
            ci_upper=(pl.col("value") + INTERVAL_Z * std_error).clip(upper_bound=100),
        )
        .drop("std_error_")
    )


# ---------------------------------------------------------------------------- participation


def participation_counts(raw: Raw, catalogue: Catalogue) -> pl.DataFrame:
    """Per region, year, jenjang group, participation indicator and household SES quintile:
    `population` of the age band and persons `enrolled` as the formula counts them.

    Persons are summed over a region's kab/kota; rates are taken only from the sums.
    """
    keys = ["kabkota_code", "year", "ses_quintile"]
    # Every kab/kota, year and quintile BPS reports on, even with nobody in an age band.
    reported = pl.concat([raw.population.select(keys), raw.enrolment.select(keys)]).unique()
    frames = []
    for each in catalogue.all_indicators:
        if (rule := each.participation) is None:
            continue
        in_band = pl.col("age").is_between(rule.age_min, rule.age_max)
        at_jenjang = pl.col("jenjang") == rule.jenjang
        counted = {"apk": at_jenjang, "aps": in_band, "apm": in_band & at_jenjang}[rule.formula]
        population = raw.population.filter(in_band).group_by(keys).agg(pl.col("population").sum())
        enrolled = (
            raw.enrolment.filter(counted).group_by(keys).agg(enrolled=pl.col("students").sum())
        )
        frames.append(
            reported.join(population, on=keys, how="left")
            .join(enrolled, on=keys, how="left")
            .with_columns(
                pl.col("population", "enrolled").fill_null(0), indicator=pl.lit(each.code)
            )
        )
    kabkota = pl.concat(frames).join(kabkota_facts(raw), on="kabkota_code", how="left")
    return (
        by_region(kabkota)
        .join(published_at(catalogue), on=["indicator", "entity_type"])
        .join(shown_under(catalogue).rename({"group": "jenjang"}), on="indicator")
        .group_by("entity_type", "entity_code", "year", "jenjang", "indicator", "ses_quintile")
        .agg(pl.col("population", "enrolled").sum())
    )


def with_rate(counts: pl.DataFrame) -> pl.DataFrame:
    """Add `value` = 100 * enrolled / population; no population, no value."""
    rate = 100.0 * pl.col("enrolled") / pl.col("population")
    return counts.with_columns(value=pl.when(pl.col("population") > 0).then(rate))


def participation_rows(raw: Raw, catalogue: Catalogue) -> pl.DataFrame:
    """APK/APS/APM over all quintiles, as release rows."""
    keys = ["entity_type", "entity_code", "year", "jenjang", "indicator"]
    totals = (
        participation_counts(raw, catalogue)
        .group_by(keys)
        .agg(pl.col("population", "enrolled").sum())
    )
    return with_rate(totals).select(
        *keys[:4],
        pl.lit(ALL).alias("bentuk"),
        pl.lit(ALL).alias("status"),
        "indicator",
        "value",
        pl.lit(None, pl.Int64).alias("n_schools"),
        pl.col("enrolled").alias("n_students"),
        pl.lit(None, pl.Int64).alias("n_teachers"),
        pl.col("value").is_null().alias("suppressed"),
        pl.when(pl.col("value").is_null())
        .then(pl.lit("no_population"))
        .alias("suppression_reason"),
        *[pl.lit(None, pl.Float64).alias(c) for c in ("std_error", "ci_lower", "ci_upper")],
    )


# ------------------------------------------------------------------------------ peer groups


def _ntile(buckets: int, over: str | list[str]) -> pl.Expr:
    """Bucket 1..`buckets` of each row of a frame already sorted by rank within `over`.

    Buckets are as equal as possible and the first ones take the remainder: seven schools
    fall into quintiles of 2, 2, 1, 1, 1 (SQL's ntile).
    """
    position, rows = pl.int_range(pl.len()).over(over), pl.len().over(over)
    size, remainder = rows // buckets, rows % buckets
    in_larger = remainder * (size + 1)  # rows held by the first, larger buckets
    return 1 + (
        pl.when(position < in_larger)
        .then(position // (size + 1))
        .otherwise(remainder + (position - in_larger) // pl.max_horizontal(size, 1))
    )


def school_peer_groups(raw: Raw, catalogue: Catalogue) -> pl.DataFrame:
    """Per programme: its jenjang, location type and national SES quintile, the school's
    `ses_index` ranked among all schools tested at that jenjang that year (ties by NPSN)."""
    return (
        programmes(raw, catalogue)
        .sort("year", "jenjang", "ses_index", "npsn")
        .with_columns(ses_quintile=_ntile(5, ["year", "jenjang"]))
        .with_columns(peer_group=pl.format("{}/{}/q{}", "jenjang", "lokasi", "ses_quintile"))
    )


def region_peer_groups(raw: Raw) -> pl.DataFrame:
    """Per kab/kota and year: kind, national tercile of poverty rate and 3T status.
    Per province and year: tercile of its kab/kota's mean poverty rate and half of their mean
    urban share, among the provinces. Ties are ranked by region code."""
    profile = raw.profile.join(kabkota_facts(raw), on="kabkota_code", how="left")
    kind = pl.when("is_kota").then(pl.lit("kota")).otherwise(pl.lit("kabupaten"))
    is_3t = pl.when("is_3t").then(pl.lit("3t")).otherwise(pl.lit("non-3t"))
    kabkota = (
        profile.sort("year", "poverty_rate_pct", "kabkota_code")
        .with_columns(tercile=_ntile(3, "year"))
        .select(
            pl.lit("kabkota").alias("entity_type"),
            pl.col("kabkota_code").alias("entity_code"),
            "year",
            pl.format("{}/t{}/{}", kind, "tercile", is_3t).alias("peer_group"),
        )
    )
    provinsi = (
        profile.group_by("provinsi_code", "year")
        .agg(pl.col("poverty_rate_pct", "urban_population_pct").mean())
        .sort("year", "poverty_rate_pct", "provinsi_code")
        .with_columns(tercile=_ntile(3, "year"))
        .sort("year", "urban_population_pct", "provinsi_code")
        .with_columns(half=_ntile(2, "year"))
        .select(
            pl.lit("provinsi").alias("entity_type"),
            pl.col("provinsi_code").alias("entity_code"),
            "year",
            pl.format("t{}/h{}", "tercile", "half").alias("peer_group"),
        )
    )
    return pl.concat([kabkota, provinsi])


def with_peer_value(rows: pl.DataFrame, in_pool: pl.Expr, compared: list[str]) -> pl.DataFrame:
    """Add `peer_value`, the mean value of the *other* pool members of the row's `compared`
    set that have a value, and `n_peers`, how many they are.

    Computed as the set's sum and count minus the row's own value when it is one of them.
    """
    counted = in_pool & pl.col("value").is_not_null()
    own = pl.when(counted).then(pl.col("value")).otherwise(0.0)
    own_variance = pl.when(counted).then(pl.col("std_error") ** 2).otherwise(0.0)
    n_peers = counted.sum().over(compared) - counted.cast(pl.UInt32)
    # The peer mean's standard error: the other members' variances summed, over n_peers².
    others_variance = own_variance.sum().over(compared) - own_variance
    sampled = pl.col("std_error").filter(counted).is_not_null().any().over(compared)
    return rows.with_columns(
        n_peers=n_peers.cast(pl.Int64),
        peer_value=pl.when(n_peers > 0).then((own.sum().over(compared) - own) / n_peers),
        peer_std_error=pl.when((n_peers > 0) & sampled).then(
            others_variance.clip(lower_bound=0).sqrt() / n_peers
        ),
    )


# ---------------------------------------------------------------------------- release tables

INDICATOR_COLUMNS = [*KEY, "value", "label", "label_key", "n_schools", "n_students",
                     "n_teachers", "suppressed", "suppression_reason", "std_error", "ci_lower",
                     "ci_upper"]  # fmt: skip


def indicator_values(raw_dir: Path, min_respondents: int = 5) -> pl.DataFrame:
    """`indicator_values`: schools, their regions, and APK/APS/APM."""
    catalogue = load_catalogue()
    raw = read_raw(raw_dir)
    values = school_values(raw, catalogue, min_respondents)
    unlabelled = [column for column in INDICATOR_COLUMNS if not column.startswith("label")]
    rows = pl.concat(
        [
            school_rows(values, catalogue).select(unlabelled),
            region_rows(values, catalogue).select(unlabelled),
            participation_rows(raw, catalogue).select(unlabelled),
        ]
    )
    return with_labels(rows, catalogue).select(INDICATOR_COLUMNS).sort(KEY)


def ability_distribution(raw_dir: Path, min_respondents: int = 5) -> pl.DataFrame:
    """`ability_distribution`: the % of students at each AKM level, for A.1 and A.2."""
    catalogue = load_catalogue()
    shares = level_shares(read_raw(raw_dir), catalogue, min_respondents)
    extra = ("level", "level_key")
    columns = [*KEY, *extra, "value", "n_schools", "n_students", "suppressed"]
    rows = pl.concat(
        [
            school_rows(shares, catalogue, extra).select(columns),
            region_rows(shares, catalogue, extra).select(columns),
        ]
    )
    return rows.rename({"value": "share_pct"}).sort(*KEY, "level")


def participation_by_ses(raw_dir: Path) -> pl.DataFrame:
    """`participation_by_ses`: APK/APS/APM per household SES quintile."""
    catalogue = load_catalogue()
    counts = with_rate(participation_counts(read_raw(raw_dir), catalogue))
    keys = ["entity_type", "entity_code", "year", "jenjang", "indicator", "ses_quintile"]
    return (
        with_labels(counts, catalogue)
        .select(*keys, "value", "label", "label_key", "population", "enrolled")
        .sort(keys)
    )


def peer_values(raw_dir: Path, min_respondents: int = 5) -> pl.DataFrame:
    """`peer_values`: every school and kab/kota or province row of `indicator_values` for a
    top-level indicator, beside the mean of its peers' values (the nation has no peers)."""
    catalogue = load_catalogue()
    raw = read_raw(raw_dir)
    top_level = [indicator.code for indicator in catalogue.indicators]
    values = indicator_values(raw_dir, min_respondents).filter(pl.col("indicator").is_in(top_level))
    schools = values.join(
        school_peer_groups(raw, catalogue).select(
            pl.col("npsn").alias("entity_code"), "year", "jenjang", "peer_group", "in_regions"
        ),
        on=["entity_code", "year", "jenjang"],
    )
    # A school is compared with every school of its group whatever their bentuk and status;
    # PKBM and multi-level SLB get a peer value but are in nobody's pool.
    schools = with_peer_value(schools, pl.col("in_regions"), ["year", "indicator", "peer_group"])
    # A region is compared with its group under the same filter.
    regions = values.join(region_peer_groups(raw), on=["entity_type", "entity_code", "year"])
    regions = with_peer_value(regions, pl.lit(True), ["entity_type", *KEY[2:], "peer_group"])
    columns = [*KEY, "peer_group", "peer_value", "n_peers", "peer_std_error"]
    return pl.concat([schools.select(columns), regions.select(columns)]).sort(KEY)


def rank_bands(raw_dir: Path, min_respondents: int = 5, min_ranked: int = 5) -> pl.DataFrame:
    """`rank_bands`: each ranked school's and region's rank, and its fifth, within its region
    and in the nation, from the values as printed (two decimals)."""
    catalogue = load_catalogue()
    raw = read_raw(raw_dir)
    top_level = [indicator.code for indicator in catalogue.indicators]
    values = indicator_values(raw_dir, min_respondents).filter(
        pl.col("indicator").is_in(top_level) & ~pl.col("suppressed")
    )
    located = programmes(raw, catalogue).select(
        pl.col("npsn").alias("entity_code"), "year", "jenjang", "in_regions",
        pl.col("kabkota_code").alias("region_code"),
    )  # fmt: skip
    schools = values.join(located, on=["entity_code", "year", "jenjang"]).filter("in_regions")
    provinces = kabkota_facts(raw).select(
        pl.col("kabkota_code").alias("entity_code"), pl.col("provinsi_code").alias("region_code")
    )
    regions = values.filter(
        pl.col("entity_type").is_in(["kabkota", "provinsi"])
        & (pl.col("bentuk") == ALL)
        & (pl.col("status") == ALL)
        & (pl.col("n_schools") > 0)
    ).join(provinces, on="entity_code", how="left")
    columns = [*KEY, "region_code", "printed"]
    ranked = pl.concat(
        [
            frame.with_columns(printed=as_printed(pl.col("value"))).select(columns)
            for frame in (schools, regions)
        ]
    )
    nation = ["entity_type", "year", "jenjang", "indicator"]

    def rank_over(group: list[str]) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
        rank = pl.col("printed").rank("min", descending=True).over(group).cast(pl.Int64)
        count = pl.len().over(group).cast(pl.Int64)
        # The smallest k with rank <= k * count / 5, as whole numbers.
        fifth = pl.when(count >= min_ranked).then((5 * rank + count - 1) // count).cast(pl.Int32)
        return rank, count, fifth

    in_region, in_nation = rank_over([*nation, "region_code"]), rank_over(nation)
    has_region = pl.col("region_code").is_not_null()
    return (
        ranked.with_columns(
            rank_in_region=pl.when(has_region).then(in_region[0]),
            ranked_in_region=pl.when(has_region).then(in_region[1]),
            fifth_in_region=pl.when(has_region).then(in_region[2]),
            rank_in_nation=in_nation[0],
            ranked_in_nation=in_nation[1],
            fifth_in_nation=in_nation[2],
        )
        .drop("region_code", "printed")
        .sort(KEY)
    )


# ------------------------------------------------------------------------------ equity lens

EQUITY_MEASURES = ["literacy_meets_minimum", "numeracy_meets_minimum", "character_index"]
EQUITY_KEY = [*KEY[:4], "indicator", "dimension", "group_key"]


def _withheld_groups(min_respondents: int) -> pl.Expr:
    """Groups too small to publish, and beside them the published group with the fewest
    students (the first key among equals) of a dimension whose small groups could otherwise be
    worked out from the entity's value: one small group, or several of too few students
    together."""
    dimension = [*EQUITY_KEY[:-1]]
    small = pl.col("n") < min_respondents
    fewest = pl.when(~small).then(pl.col("n")).min().over(dimension)
    candidate = ~small & (pl.col("n") == fewest)
    first = pl.when(candidate).then(pl.col("group_key")).min().over(dimension)
    small_groups = small.sum().over(dimension)
    small_students = pl.when(small).then(pl.col("n")).otherwise(0).sum().over(dimension)
    gives_away = (small_groups == 1) | ((small_groups > 1) & (small_students < min_respondents))
    return small | (candidate & (pl.col("group_key") == first) & gives_away)


def equity_groups(raw_dir: Path, min_respondents: int = 5) -> pl.DataFrame:
    """`equity_groups`: literacy, numeracy and character per group of students, pooled.

    Students are put in national SES quintiles of their year and tested jenjang: at or below
    the 20th percentile of their SES index (linear interpolation) is quintile 1, and so on. A
    school has groups by gender and SES quintile; a region also by its
    schools' status and lokasi, over the schools that count in region values under each jenjang
    group. Intervals as a school value's, from the group's students."""
    catalogue = load_catalogue()
    raw = read_raw(raw_dir)
    indicators = _pairs(
        [
            (each.code, each.measure, each.unit)
            for each in catalogue.indicators
            if each.measure in EQUITY_MEASURES
        ],
        ["indicator", "measure", "unit"],
    )
    facts = programmes(raw, catalogue).select(
        *PROGRAMME, "bentuk", "status", "lokasi", "kabkota_code", "provinsi_code", "in_regions"
    )
    ses = pl.col("ses_index")
    over = ["year", "jenjang"]
    cuts = [ses.quantile(q, interpolation="linear").over(over) for q in (0.2, 0.4, 0.6, 0.8)]
    quintile = pl.when(ses <= cuts[0]).then(1).when(ses <= cuts[1]).then(2)
    quintile = quintile.when(ses <= cuts[2]).then(3).when(ses <= cuts[3]).then(4).otherwise(5)
    students = (
        student_measures(raw.students)
        .with_columns(ses_quintile=quintile.cast(pl.String))
        .join(facts, on=PROGRAMME)
        .unpivot(
            index=[*PROGRAMME, "gender", "ses_quintile", *facts.columns[3:]],
            on=EQUITY_MEASURES,
            variable_name="measure",
            value_name="y",
        )
        .join(indicators, on="measure")
    )
    members = [
        students.with_columns(
            entity_type=pl.lit("sekolah"),
            entity_code="npsn",
            dimension=pl.lit(dimension),
            group_key=dimension,
        )
        for dimension in ("gender", "ses_quintile")
    ]
    counted = (
        by_region(students.filter("in_regions"))
        .join(group_bentuk(catalogue), on="bentuk")
        .drop("jenjang")
        .rename({"group": "jenjang"})
    )
    members += [
        counted.with_columns(dimension=pl.lit(dimension), group_key=dimension)
        for dimension in ("gender", "ses_quintile", "status", "lokasi")
    ]
    columns = [*EQUITY_KEY, "unit", "npsn", "y"]
    groups = (
        pl.concat([frame.select(columns) for frame in members])
        .join(published_at(catalogue), on=["indicator", "entity_type"])
        .join(shown_under(catalogue).rename({"group": "jenjang"}), on=["indicator", "jenjang"])
        .group_by(*EQUITY_KEY, "unit")
        .agg(
            pl.col("y").mean().alias("value"),
            pl.col("npsn").n_unique().cast(pl.Int64).alias("n_schools"),
            pl.len().cast(pl.Int64).alias("n"),
            (pl.col("y").std() / pl.len().sqrt()).alias("std_error"),
        )
        .with_columns(respondent=pl.lit("siswa"), suppressed=_withheld_groups(min_respondents))
        .with_columns(value=pl.when(~pl.col("suppressed")).then("value"))
    )
    published = ["value", "n_schools", "n_students", "suppressed", "std_error", "ci_lower"]
    return (
        _with_school_interval(groups)
        .rename({"n": "n_students"})
        .select(*EQUITY_KEY, *published, "ci_upper")
        .sort(EQUITY_KEY)
    )
