"""The open-data API: region aggregates of any release in the store, equal to the release's files,
with no school row and no suppressed value anywhere (JSON, CSV, Parquet); versioned URLs cached
with an ETag; JSON errors in the reader's language; a rate limit; bulk files deleted with their
release."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, get_resolver

from rapor import releases, settings
from rapor.web import release_data
from rapor.web.opendata.tables import LAYOUT_VERSION
from rapor.web.opendata.views import OPENAPI_FILE
from tests.conftest import Built
from tests.web.conftest import body

API = "/api/v1"
KEY = ("entity_type", "entity_code", "jenjang", "bentuk", "status", "indicator", "year")
WITHHELD = ("value", "label", "label_key", "n_students", "n_teachers")
INTERVAL = ("std_error", "ci_lower", "ci_upper")
CELL = ("entity_type", "entity_code", "year", "jenjang", "bentuk", "status")
COLUMNS = (*KEY[:2], "year", *KEY[2:6], *WITHHELD[:3], "n_schools", *WITHHELD[3:])
RANKS = tuple(
    f"{part}_in_{scope}" for scope in ("region", "nation") for part in ("rank", "ranked", "fifth")
)
COLUMNS += ("suppressed", "suppression_reason", *INTERVAL, *RANKS)
BULK = ("regions.csv", "regions.parquet", "indicator_values.csv", "indicator_values.parquet")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def release_id(data) -> str:
    return data.release.release_id


def get(url: str, language: str | None = None, **headers: str):
    client = Client()
    if language:
        client.cookies["django_language"] = language
    return client.get(url, headers=headers)


def get_json(url: str) -> dict:
    response = get(url)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


# ------------------------------------------------------------------ the independent oracle


def published_values(release_dir: Path, withheld: pl.DataFrame) -> pl.DataFrame:
    """What the API may publish of a release, computed here from its Parquet files with polars:
    region rows with their ranks from `rank_bands.parquet`, with the withheld columns of a
    suppressed row emptied, and those of the cells `withheld` for disclosure (whose choice
    test_opendata_disclosure.py checks) emptied too."""
    frame = (
        pl.read_parquet(release_dir / "indicator_values.parquet")
        .filter(pl.col("entity_type").is_in(["nasional", "provinsi", "kabkota"]))
        .join(pl.read_parquet(release_dir / "rank_bands.parquet"), on=KEY, how="left")
        .join(withheld, on=CELL, how="left")
    )
    hidden = (
        ~pl.col("suppressed") & pl.col("n_schools").is_not_null() & pl.col("reason").is_not_null()
    )
    frame = frame.with_columns(
        pl.when(hidden)
        .then(pl.col("reason"))
        .otherwise(pl.col("suppression_reason"))
        .alias("suppression_reason"),
        *(pl.when(hidden).then(None).otherwise(pl.col(name)).alias(name) for name in INTERVAL),
        suppressed=pl.col("suppressed") | hidden,
    )
    withheld_columns = [
        pl.when(pl.col("suppressed")).then(None).otherwise(pl.col(name)).alias(name)
        for name in (*WITHHELD, *RANKS)
    ]
    return frame.with_columns(withheld_columns).select(COLUMNS)


def disclosure_cells(release_id: str) -> pl.DataFrame:
    """The cells (region, year, jenjang, bentuk, status) the API withholds for disclosure, with
    the reason, read from its bulk file."""
    bulk = get(f"{API}/releases/{release_id}/bulk/indicator_values.parquet")
    table = pl.read_parquet(io.BytesIO(body(bulk)))
    withheld = table.filter(pl.col("suppression_reason").is_in(["few_schools", "complementary"]))
    return withheld.select(*CELL, reason="suppression_reason").unique()


def rows(frame: pl.DataFrame | list[dict]) -> list[tuple]:
    """Rows as sorted tuples of COLUMNS, for comparing whole tables."""
    dicts = frame.to_dicts() if isinstance(frame, pl.DataFrame) else frame
    return sorted(
        (tuple(row[name] for name in COLUMNS) for row in dicts),
        key=lambda row: tuple(str(value) for value in row),
    )


def published(release_dir: Path, release_id: str) -> pl.DataFrame:
    return published_values(release_dir, disclosure_cells(release_id))


def region_rows(release_dir: Path, release_id: str, level: str, code: str) -> list[tuple]:
    frame = published(release_dir, release_id)
    return rows(frame.filter((pl.col("entity_type") == level) & (pl.col("entity_code") == code)))


def sample_regions(built: Built, release_id: str) -> list[tuple[str, str]]:
    """The nation, a province and a kab/kota with values, some of them suppressed."""
    values = published(built.release_dir, release_id).filter(pl.col("suppressed"))
    first = {
        level: values.filter(pl.col("entity_type") == level)["entity_code"].min()
        for level in ("provinsi", "kabkota")
    }
    return [("nasional", "ID"), ("provinsi", first["provinsi"]), ("kabkota", first["kabkota"])]


def assert_nothing_withheld_leaks(table: list[dict], npsns: set[str]) -> None:
    assert table
    assert {row["entity_type"] for row in table} <= {"nasional", "provinsi", "kabkota"}
    assert not {row["entity_code"] for row in table} & npsns
    suppressed = [row for row in table if row["suppressed"]]
    assert suppressed, "the release must have suppressed region values for this to prove much"
    for row in suppressed:
        assert all(row[name] is None for name in (*WITHHELD, *INTERVAL, *RANKS)), row
        assert row["suppression_reason"]
    # No published value is that of one or two schools.
    assert not [row for row in table if not row["suppressed"] and row["n_schools"] in (1, 2)]
    assert {row["suppression_reason"] for row in suppressed} >= {"few_schools"}


# ------------------------------------------------------------------ values


def test_region_values_equal_the_release_files(built, release_id):
    """A region's values, whole and filtered, are the region rows of `indicator_values.parquet`
    with suppressed values withheld."""
    for level, code in sample_regions(built, release_id):
        answer = get_json(f"{API}/releases/{release_id}/regions/{code}/values")
        assert answer["region"]["region_code"] == code
        assert answer["region"]["region_level"] == level
        assert rows(answer["values"]) == region_rows(built.release_dir, release_id, level, code), (
            code
        )
        # The nation has no rank; a province only in the nation; a kab/kota in both.
        ranked = [row for row in answer["values"] if row["rank_in_nation"] is not None]
        assert bool(ranked) == (level != "nasional"), code
        assert any(row["rank_in_region"] for row in ranked) == (level == "kabkota"), code
    _, code = sample_regions(built, release_id)[1]
    query = "jenjang=dasar&bentuk=semua&status=negeri&year=2023&indicator=A.1"
    answer = get_json(f"{API}/releases/{release_id}/regions/{code}/values?{query}")
    expected = [
        row
        for row in region_rows(built.release_dir, release_id, "provinsi", code)
        if row[2:7] == (2023, "dasar", "semua", "negeri", "A.1")
    ]
    assert expected and rows(answer["values"]) == expected


def test_regions_and_catalogue_describe_the_release(built, release_id):
    """The regions are the release's and the nation; the catalogue is the release's copy."""
    answer = get_json(f"{API}/releases/{release_id}/regions")
    codes = [region["region_code"] for region in answer["regions"]]
    assert codes == sorted(["ID", *built.table("regions")["region_code"].to_list()])
    provinces = get_json(f"{API}/releases/{release_id}/regions?level=provinsi")["regions"]
    assert {region["region_level"] for region in provinces} == {"provinsi"}
    catalogue = get_json(f"{API}/releases/{release_id}/catalogue")
    a1 = next(item for item in catalogue["indicators"] if item["code"] == "A.1")
    assert a1["name"]["id"] and a1["name"]["en"] and a1["bands"]
    assert "sekolah" not in a1["levels"]
    values = published(built.release_dir, release_id)
    known = {item["code"] for item in catalogue["indicators"]}
    assert set(values["indicator"].unique()) <= known


def test_no_school_rows_and_no_suppressed_values_anywhere(built, release_id):
    """No answer, JSON or bulk file, holds a school's row or a suppressed value."""
    npsns = set(built.table("schools")["npsn"].to_list())
    for _, code in sample_regions(built, release_id):
        values = get_json(f"{API}/releases/{release_id}/regions/{code}/values")["values"]
        assert_nothing_withheld_leaks(values, npsns)
    base = f"{API}/releases/{release_id}/bulk/indicator_values"
    csv = body(get(f"{base}.csv"))
    from_csv = pl.read_csv(io.BytesIO(csv), schema=published(built.release_dir, release_id).schema)
    assert_nothing_withheld_leaks(from_csv.to_dicts(), npsns)
    from_parquet = pq.read_table(io.BytesIO(body(get(f"{base}.parquet")))).to_pylist()
    assert_nothing_withheld_leaks(from_parquet, npsns)
    regions = pq.read_table(
        io.BytesIO(body(get(f"{API}/releases/{release_id}/bulk/regions.parquet")))
    )
    assert not set(regions.column("region_code").to_pylist()) & npsns


def test_bulk_files_are_the_json_tables_whole(built, release_id):
    """`indicator_values` as CSV (read back with polars) and Parquet (read back with pyarrow) is
    every region row of the release; `regions` is the JSON list."""
    expected = published(built.release_dir, release_id)
    base = f"{API}/releases/{release_id}/bulk/indicator_values"
    response = get(f"{base}.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    from_csv = pl.read_csv(io.BytesIO(body(response)), schema=expected.schema)
    assert rows(from_csv) == rows(expected)
    response = get(f"{base}.parquet")
    assert response["Content-Type"] == "application/vnd.apache.parquet"
    assert rows(pq.read_table(io.BytesIO(body(response))).to_pylist()) == rows(expected)
    regions = get_json(f"{API}/releases/{release_id}/regions")["regions"]
    from_parquet = pq.read_table(
        io.BytesIO(body(get(f"{API}/releases/{release_id}/bulk/regions.parquet")))
    )
    assert from_parquet.to_pylist() == regions
    from_csv = pl.read_csv(
        io.BytesIO(body(get(f"{API}/releases/{release_id}/bulk/regions.csv"))),
        schema_overrides={"region_code": pl.String, "parent_code": pl.String},
    )
    assert from_csv.to_dicts() == regions
    written = settings.downloads_dir(release_id) / f"opendata-v{LAYOUT_VERSION}"
    assert sorted(
        path.name for path in written.iterdir() if not path.name.startswith(".")
    ) == sorted([*BULK, "withheld_cells.parquet"])


# ------------------------------------------------------------------ versions and caching


def test_versioned_answers_are_immutable_with_an_etag(release_id):
    """Versioned answers are cached for a year with an ETag per release and URL; sending it back
    gets a 304 without a body."""
    url = f"{API}/releases/{release_id}/regions/ID/values?indicator=A.1"
    response = get(url)
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    etag = response["ETag"]
    assert etag.startswith('"') and release_id not in etag
    again = get(url, If_None_Match=etag)
    assert again.status_code == 304 and not again.content
    assert again["ETag"] == etag
    assert get(url, If_None_Match='"other"').status_code == 200
    other = get(f"{API}/releases/{release_id}/regions/ID/values?indicator=A.2")
    assert other["ETag"] != etag
    bulk_url = f"{API}/releases/{release_id}/bulk/regions.csv"
    bulk = get(bulk_url)
    body(bulk)
    assert get(bulk_url, If_None_Match=bulk["ETag"]).status_code == 304


def test_active_redirects_to_the_versioned_url(release_id):
    """`active` redirects (302, cached briefly) to the same URL with the active release's id,
    query included; the release list marks the active release."""
    response = get(f"{API}/releases/active/regions/ID/values?year=2024&indicator=A.1")
    assert response.status_code == 302
    assert response["Location"] == (
        f"{API}/releases/{release_id}/regions/ID/values?year=2024&indicator=A.1"
    )
    assert response["Cache-Control"] == "public, max-age=60"
    assert get(f"{API}/releases/active")["Location"] == f"{API}/releases/{release_id}"
    listed = get_json(f"{API}/releases")
    assert listed["active"] == release_id
    assert [item["id"] for item in listed["releases"] if item["active"]] == [release_id]
    assert get(f"{API}/releases")["Cache-Control"] == "public, max-age=60"


@pytest.fixture
def two_releases(built: Built, tmp_path: Path, monkeypatch) -> tuple[Path, str, str]:
    """A home of its own: the built release, activated (read through its index), and an older
    one without 2024 that was never activated (no index: read from its Parquet files)."""
    home = tmp_path / "home"
    older, newer = "20200101T000000.000000Z", "20200201T000000.000000Z"
    for release_id in (older, newer):
        shutil.copytree(built.release_dir, home / "releases" / release_id)
    folder = home / "releases" / older
    table = pl.read_parquet(folder / "indicator_values.parquet")
    table.filter(pl.col("year") != 2024).write_parquet(folder / "indicator_values.parquet")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["years"] = [2022, 2023]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setenv("RAPOR_HOME", str(home))
    release_data.reset()
    releases.activate(newer, home)
    yield home, older, newer
    release_data.reset()


def test_any_release_in_the_store_is_served_until_pruned(two_releases, built):
    """An older release is served under its own id, from its own files; pruned, it is a 404
    and its bulk files are gone."""
    home, older, newer = two_releases
    assert not list((home / "index").glob(f"{older}.*"))
    listed = get_json(f"{API}/releases")
    assert [item["id"] for item in listed["releases"]] == [newer, older]
    for release_id, years in ((older, [2022, 2023]), (newer, [2022, 2023, 2024])):
        assert get_json(f"{API}/releases/{release_id}")["years"] == years
        for level, code in sample_regions(built, release_id):
            url = f"{API}/releases/{release_id}/regions/{code}/values"
            expected = region_rows(home / "releases" / release_id, release_id, level, code)
            assert rows(get_json(url)["values"]) == expected
    assert get(f"{API}/releases/{older}/regions/ID/values?year=2024").status_code == 400
    bulk = get(f"{API}/releases/{older}/bulk/indicator_values.parquet")
    assert rows(pq.read_table(io.BytesIO(body(bulk))).to_pylist()) == rows(
        published(home / "releases" / older, older)
    )
    written = (
        settings.downloads_dir(older, home)
        / f"opendata-v{LAYOUT_VERSION}"
        / "indicator_values.parquet"
    )
    assert written.is_file()
    assert releases.prune(keep=1, home=home) == [older]
    assert not written.exists()
    for url in (f"{API}/releases/{older}", f"{API}/releases/{older}/bulk/regions.csv"):
        assert get(url).status_code == 404
    assert get(f"{API}/releases/{newer}/regions/ID/values").status_code == 200


# ------------------------------------------------------------------ errors and limits


@pytest.mark.parametrize(
    ("language", "detail"),
    [("id", "Data yang diminta tidak ada"), ("en", "The data asked for does not exist")],
)
def test_unknown_release_region_or_file_is_a_json_404(language, detail, release_id):
    """An unknown release, region, file or API path is a 404 problem in the reader's language."""
    for url in (
        f"{API}/releases/20000101T000000.000000Z/regions",
        f"{API}/releases/..%2F..%2Fetc/regions",
        f"{API}/releases/{release_id}/bulk/schools.csv",
        f"{API}/releases/{release_id}/bulk/regions.xlsx",
        f"{API}/tidak-ada",
    ):
        response = get(url, language)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"
        assert response["Content-Language"] == language
        problem = json.loads(response.content)
        assert problem["status"] == 404 and problem["detail"].startswith(detail), url
        assert "Cache-Control" not in response


@pytest.mark.parametrize(
    ("cookie", "accept", "detail"),
    [
        (None, None, "Kode wilayah “3401” tidak dikenal."),
        (None, "en-US,en;q=0.9", "Unknown region code “3401”."),
        ("id", "en-US,en;q=0.9", "Kode wilayah “3401” tidak dikenal."),  # the switch wins
        ("en", None, "Unknown region code “3401”."),
    ],
)
def test_an_unknown_region_says_how_codes_are_written(cookie, accept, detail, release_id):
    """A region code written without its dot is a 404 that says how codes are written and where
    the list is, in the language the client asks for (Accept-Language) unless the reader chose
    one on the site."""
    headers = {"Accept-Language": accept} if accept else {}
    response = get(f"{API}/releases/{release_id}/regions/3401/values", cookie, **headers)
    assert response.status_code == 404
    problem = json.loads(response.content)
    assert problem["detail"].startswith(detail)
    assert problem["detail"].endswith(f"{API}/releases/{release_id}/regions.")
    assert "34.01" in problem["detail"]
    assert "Accept-Language" in response["Vary"]


def test_the_api_root_links_where_to_begin(release_id):
    """/api/ leads to /api/v1/, whose links all answer."""
    response = get("/api/")
    assert response.status_code == 302 and response["Location"] == f"{API}/"
    links = get_json(f"{API}/")
    assert links["openapi"] == f"{API}/openapi.json"
    for url in links.values():
        assert get(url).status_code in (200, 302), url


def test_pages_ignore_the_browsers_language():
    """Indonesian first: a page is Indonesian whatever the browser asks for, until the reader
    switches."""
    response = get("/data-terbuka/", **{"Accept-Language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "id"
    assert "Data terbuka" in response.content.decode()


def test_any_web_page_may_read_the_api_and_nothing_else(release_id, client_for):
    """CORS: a browser app on another site reads the API, its errors and its ETag; the rest of
    the site (signed-in pages) grants no other origin anything."""
    origin = {"Origin": "https://dasbor.contoh.go.id"}
    for url, status in (
        (f"{API}/releases/{release_id}/regions/ID/values", 200),
        (f"{API}/releases/{release_id}/regions/99.99/values", 404),
    ):
        response = get(url, **origin)
        assert response.status_code == status
        assert response["Access-Control-Allow-Origin"] == "*"
    exposed = get(f"{API}/releases/{release_id}/regions/ID/values", **origin)
    assert "etag" in exposed["Access-Control-Expose-Headers"].lower()
    page = client_for("kabkota").get("/beranda/", follow=True, headers=origin)
    assert page.status_code == 200 and "Access-Control-Allow-Origin" not in page


def test_a_bad_or_repeated_parameter_is_a_json_400(release_id):
    url = f"{API}/releases/{release_id}/regions/ID/values"
    for query in ("year=1999", "jenjang=sma", "indicator=X.9", "year=2024&year=2023", "status=x"):
        response = get(f"{url}?{query}")
        assert response.status_code == 400, query
        assert json.loads(response.content)["title"] == "Permintaan tidak valid"
    response = get(f"{API}/releases/{release_id}/regions?level=sekolah", "en")
    assert json.loads(response.content)["detail"].startswith("The value of parameter “level”")


def test_other_methods_are_a_json_405(release_id):
    """The API is read-only: POST, PUT and DELETE get a 405 naming GET and HEAD, even without a
    CSRF token; HEAD answers like GET."""
    client = Client(enforce_csrf_checks=True)
    url = f"{API}/releases/{release_id}/regions"
    for method in (client.post, client.put, client.delete):
        response = method(url)
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"
        assert response["Content-Type"] == "application/problem+json"
    assert client.head(url).status_code == 200


def test_requests_over_the_rate_limit_get_a_json_429(settings, release_id):
    settings.RAPOR_API_RATE = "3/h"
    url = f"{API}/releases/{release_id}/regions"
    assert [get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = get(url, "en")
    assert response.status_code == 429
    assert json.loads(response.content)["title"] == "Too many attempts"
    assert get(f"{API}/releases").status_code == 429  # per address, not per URL


# ------------------------------------------------------------------ the document and the page


def test_the_openapi_document_names_every_api_url():
    """The served OpenAPI document is the file, and its paths are exactly the API's URLs."""
    response = get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document == json.loads(OPENAPI_FILE.read_text())
    assert document["openapi"].startswith("3.1")
    resolver = next(
        pattern
        for pattern in get_resolver().url_patterns
        if getattr(pattern, "app_name", "") == "opendata"
    )
    routes = {
        "/" + str(pattern.pattern).replace("<str:", "{").replace(">", "}")
        for pattern in resolver.url_patterns
        if isinstance(pattern, URLPattern) and str(pattern.pattern).startswith("api/")
    }
    assert set(document["paths"]) == routes


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_open_data_page_links_the_document_and_bulk_files(language, release_id):
    response = get("/data-terbuka/", language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{API}/openapi.json"' in html
    assert f'href="{API}/releases/active/bulk/indicator_values.parquet"' in html
    assert ("Open data" if language == "en" else "Data terbuka") in html
