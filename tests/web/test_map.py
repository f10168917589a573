"""The choropleth maps of Beranda and the indicator detail: the nation's provinces, a province's
kab/kota, each coloured by its label band, with the table that holds every value.

Expected values are read from the release's Parquet files with polars (test_beranda's `Release`),
not through the web app's index, and the table is what screen readers and pages without
JavaScript read, so it is checked cell by cell.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import polars as pl
import pytest
from django.http import QueryDict

import rapor.web
from rapor.catalogue import load_catalogue
from rapor.web.accounts.scope import Scope
from rapor.web.dashboard import maps
from rapor.web.dashboard.filters import parse_selection
from tests.web.conftest import body
from tests.web.test_beranda import DEFAULT, LATEST, NOT_ENOUGH, Node, Release, parse, query, shown
from tests.web.test_errors import assert_error_page

NATIONAL = "ID"
MAPS_DIR = Path(rapor.web.__file__).parent / "static" / "rapor" / "maps"


def children(built, parent: str | None) -> list[dict]:
    """The provinces (parent None) or a province's kab/kota, from the release, by code."""
    regions = built.table("regions")
    if parent is None:
        chosen = regions.filter(pl.col("region_level") == "provinsi")
    else:
        chosen = regions.filter(pl.col("parent_code") == parent)
    return chosen.sort("region_code").to_dicts()


def expected_rows(release: Release, level: str, codes: list[str], indicator: str, **key) -> dict:
    """Each child's release row of an indicator under a filter (None when it has none)."""
    chosen = {**DEFAULT, "indicator": indicator, **key}
    found = release.values.filter(
        pl.col("entity_type") == level,
        pl.col("entity_code").is_in(codes),
        *(pl.col(column) == value for column, value in chosen.items()),
    )
    rows = {row["entity_code"]: row for row in found.to_dicts()}
    assert len(rows) == found.height, "more than one row per region"
    return {code: rows.get(code) for code in codes}


def map_rows(page: Node) -> dict[str, Node]:
    section = page.one("section", "region-map")
    return {row.attrs["data-code"]: row for row in section.one("tbody").find_all("tr")}


def assert_map_matches(page: Node, expected: dict[str, dict | None], names: dict[str, str]):
    """The map's table lists exactly these regions, in order, with the release's value, label
    and band colour, or "Data tidak mencukupi" in the neutral colour."""
    rows = map_rows(page)
    assert list(rows) == list(expected)
    for code, release_row in expected.items():
        row = rows[code]
        assert row.one("th").text == names[code]
        cells = row.find_all("td")
        if release_row is None or release_row["suppressed"]:
            assert [cell.text for cell in cells] == [NOT_ENOUGH], code
            assert row.attrs["data-colour"] == maps.NO_DATA_COLOUR, code
            continue
        indicator = load_catalogue().indicator(release_row["indicator"])
        band = next(band for band in indicator.bands if band.key == release_row["label_key"])
        assert cells[0].text == shown(indicator.code, release_row["value"]), code
        assert cells[1].text == release_row["label"], code
        assert row.attrs["data-colour"] == band.colour, code


def no_link(child) -> str:
    raise AssertionError("no region is linked")


def links(page: Node) -> dict[str, str]:
    """The map table's links by region code."""
    return {
        code: row.one("a").attrs["href"]
        for code, row in map_rows(page).items()
        if row.find_all("a")
    }


@pytest.fixture(scope="module")
def release(built) -> Release:
    return Release(built)


def test_national_map_shows_every_province_value(client_for, built, release):
    """Pusat's Beranda maps the 38 provinces' A.1 (the default) under the default filter."""
    provinces = children(built, None)
    codes = [row["region_code"] for row in provinces]
    assert len(codes) == 38
    page = parse(client_for("pusat").get(f"/wilayah/{NATIONAL}/"))
    expected = expected_rows(release, "provinsi", codes, "A.1")
    assert_map_matches(
        page, expected, {row["region_code"]: row["region_name"] for row in provinces}
    )
    caption = page.one("section", "region-map").one("caption").text
    assert caption == f"Kemampuan Literasi · Tahun {LATEST}"


@pytest.mark.parametrize(
    "selection",
    [
        {},
        {"jenjang": "menengah", "bentuk": "sma", "status": "negeri", "year": 2023},
        {"jenjang": "menengah_pertama", "status": "swasta"},
    ],
    ids=["default", "sma-negeri-2023", "smp-swasta"],
)
@pytest.mark.parametrize("indicator", ["A.2", "D.1"])
def test_province_map_shows_every_kabkota_value(
    client_for, accounts, built, release, selection, indicator
):
    """A province's Beranda maps its kab/kota for the indicator chosen and the filters."""
    province = accounts["provinsi"].region_code
    kabkota = children(built, province)
    codes = [row["region_code"] for row in kabkota]
    url = f"/wilayah/{province}/{query(**selection)}&peta={indicator}"
    page = parse(client_for("provinsi").get(url))
    expected = expected_rows(release, "kabkota", codes, indicator, **selection)
    assert_map_matches(page, expected, {row["region_code"]: row["region_name"] for row in kabkota})


def test_detail_map_shows_the_pages_indicator(client_for, built, release):
    """The national detail of A.3 maps the provinces' A.3 under the page's filters and year."""
    provinces = children(built, None)
    codes = [row["region_code"] for row in provinces]
    selection = {"jenjang": "menengah", "status": "negeri", "year": 2022}
    page = parse(client_for("pusat").get(f"/wilayah/{NATIONAL}/indikator/A.3/{query(**selection)}"))
    expected = expected_rows(release, "provinsi", codes, "A.3", **selection)
    assert_map_matches(
        page, expected, {row["region_code"]: row["region_name"] for row in provinces}
    )
    assert links(page) == {
        code: f"/wilayah/{code}/indikator/A.3/{query(**selection)}" for code in codes
    }


def test_suppressed_and_missing_regions_say_so(client_for, built, release):
    """A kab/kota whose value is withheld, and one without a row for the filter, show "Data
    tidak mencukupi" in the neutral colour, which the legend names."""
    values = release.values
    suppressed = values.filter(
        pl.col("entity_type") == "kabkota",
        pl.col("indicator") == "A.1",
        pl.col("year") == LATEST,
        pl.col("suppressed"),
    )
    assert not suppressed.is_empty(), "the small release has no withheld kab/kota value"
    row = suppressed.sort("entity_code", "jenjang", "bentuk", "status").row(0, named=True)
    selection = {key: row[key] for key in ("jenjang", "bentuk", "status")}
    province = row["entity_code"].split(".")[0]
    kabkota = children(built, province)
    codes = [child["region_code"] for child in kabkota]
    page = parse(client_for("pusat").get(f"/wilayah/{province}/{query(**selection)}"))
    expected = expected_rows(release, "kabkota", codes, "A.1", **selection)
    assert_map_matches(page, expected, {c["region_code"]: c["region_name"] for c in kabkota})
    assert map_rows(page)[row["entity_code"]].find_all("td")[0].text == NOT_ENOUGH
    legend = page.one("ul", "map-legend")
    assert [item.text for item in legend.find_all("li")] == ["Kurang", "Sedang", "Baik", NOT_ENOUGH]
    neutral = legend.find_all("li")[-1].one("span", "swatch")
    assert maps.NO_DATA_COLOUR in neutral.attrs["style"]


def test_a_region_without_any_row_is_shown_as_missing(data, accounts):
    """A child with no row for the filter at all is listed, without a figure."""
    province = data.region(accounts["provinsi"].region_code)
    selection = parse_selection(QueryDict(), data.years)
    indicator = load_catalogue().indicator("A.1")
    child = data.children(province.code)[0]
    real = data.child_values(province, selection.filter, "A.1")
    without = tuple(row for row in real if row["entity_code"] != child.code)
    region_map = maps.region_map(
        _FixedChildValues(data, without), province, selection, indicator, frozenset(), no_link
    )
    area = next(area for area in region_map.areas if area.region == child)
    assert area.figure is None and not area.has_value
    assert area.colour == maps.NO_DATA_COLOUR


class _FixedChildValues:
    """A release whose child lookup answers with fixed rows (everything else is the real one)."""

    def __init__(self, data, rows: tuple[dict, ...]) -> None:
        self._data = data
        self._rows = rows

    def child_values(self, *args) -> tuple[dict, ...]:
        return self._rows

    def __getattr__(self, name: str):
        return getattr(self._data, name)


def test_links_keep_the_filters_and_a_chosen_indicator(client_for, accounts, built):
    """Each province links to its Beranda with the same filters; a map indicator other than
    the default is kept (in the links and in the filter form), the default is left out."""
    codes = [row["region_code"] for row in children(built, None)]
    selection = {"jenjang": "menengah", "bentuk": "smk", "status": "swasta", "year": 2023}
    client = client_for("pusat")
    page = parse(client.get(f"/wilayah/{NATIONAL}/{query(**selection)}"))
    assert links(page) == {code: f"/wilayah/{code}/{query(**selection)}" for code in codes}
    assert not page.one("form", "filters").find_all("input", name="peta")

    page = parse(client.get(f"/wilayah/{NATIONAL}/{query(**selection)}&peta=D.1"))
    assert links(page) == {code: f"/wilayah/{code}/{query(**selection)}&peta=D.1" for code in codes}
    assert page.one("form", "filters").one("input", name="peta").attrs["value"] == "D.1"
    chosen = page.one("form", "map-choice").one("select", name="peta")
    assert chosen.one("option", selected="").attrs["value"] == "D.1"


@pytest.mark.parametrize("role", ["pusat", "provinsi"])
def test_every_map_link_is_in_the_accounts_scope(client_for, accounts, data, role):
    """Pusat's map links every province, provinsi's its own kab/kota; each link opens."""
    home = accounts[role].region_code or NATIONAL
    client = client_for(role)
    found = links(parse(client.get(f"/wilayah/{home}/")))
    assert sorted(found) == sorted(child.code for child in data.children(home))
    for url in found.values():
        assert client.get(url).status_code == 200, url


def test_no_link_leaves_the_scope(data, accounts):
    """A child outside `linked` (what the account may open) gets no link."""
    province = data.region(accounts["provinsi"].region_code)
    allowed = data.children(province.code)[0].code
    region_map = maps.region_map(
        data,
        province,
        parse_selection(QueryDict(), data.years),
        load_catalogue().indicator("A.1"),
        frozenset({allowed}),
        lambda child: f"/wilayah/{child.code}/",
    )
    assert {area.region.code: area.url for area in region_map.areas if area.url} == {
        allowed: f"/wilayah/{allowed}/"
    }


def test_scope_decides_the_linked_children(data, accounts):
    """linked_children follows the account's scope: a kab/kota account may open no sibling."""
    province = data.region(accounts["provinsi"].region_code)
    every = {child.code for child in data.children(province.code)}
    assert maps.linked_children(data, province, Scope.of(accounts["provinsi"])) == every
    kabkota = Scope.of(accounts["kabkota"])
    assert maps.linked_children(data, province, kabkota) == {accounts["kabkota"].region_code}
    assert maps.linked_children(data, province, Scope.of(accounts["sekolah"])) == frozenset()


def test_a_kabkota_sees_its_neighbours_as_the_open_data_shows_them(
    client_for, accounts, built, release, data
):
    """A kab/kota account's pages map its province's kab/kota, itself marked and linked, its
    neighbours without links and with what the open-data API publishes of them: a value the API
    withholds (one or two schools, or one it could be worked out from) is "Data tidak
    mencukupi" here too. The province's account sees every value of the same page."""
    own = data.region(accounts["kabkota"].region_code)
    province = data.region(own.parent_code)
    neighbours = children(built, province.code)
    names = {row["region_code"]: row["region_name"] for row in neighbours}
    bulk = client_for("kabkota").get(
        f"/api/v1/releases/{data.release.release_id}/bulk/indicator_values.parquet"
    )
    public = pl.read_parquet(io.BytesIO(body(bulk))).filter(
        pl.col("entity_type") == "kabkota",
        pl.col("entity_code").is_in(list(names)),
        pl.col("indicator") == "A.1",
    )
    # A filter under which the API withholds some neighbour's value and publishes another's.
    cell = ["year", "jenjang", "bentuk", "status"]
    withheld = pl.col("suppression_reason").is_in(["few_schools", "complementary"])
    chosen = (
        public.filter(pl.col("entity_code") != own.code)
        .group_by(cell)
        .agg(hidden=withheld.any(), shown=(~pl.col("suppressed")).any())
        .filter("hidden", "shown")
        .sort(cell)
        .row(0, named=True)
    )
    selection = {name: chosen[name] for name in cell}
    url = f"/wilayah/{own.code}/indikator/A.1/{query(**selection)}"
    page = parse(client_for("kabkota").get(url))
    section = page.one("section", "region-map")
    assert section.one("h2").text == f"Peta kabupaten/kota di {province.name}"
    rows = map_rows(page)
    assert list(rows) == list(names)
    assert [code for code, row in rows.items() if row.find_all("a")] == [own.code]
    assert rows[own.code].attrs["aria-current"] == "true"
    assert rows[own.code].one("th").text == f"{own.name} (wilayah ini)"
    published = {
        row["entity_code"]: row
        for row in public.filter(
            *(pl.col(name) == value for name, value in selection.items())
        ).to_dicts()
    }
    expected = expected_rows(release, "kabkota", list(names), "A.1", **selection)
    seen = set()
    for code, row in rows.items():
        cells = [cell.text for cell in row.find_all("td")]
        if code == own.code:
            shown_row = expected[code]
        else:
            shown_row = published.get(code)
            seen.add(shown_row is not None and shown_row["suppressed"])
        if shown_row is None or shown_row["suppressed"]:
            assert cells == [NOT_ENOUGH], code
        else:
            assert cells[0] == shown("A.1", shown_row["value"]), code
    assert seen == {True, False}
    # The province's account: every kab/kota of the same page linked, every value shown.
    page = parse(client_for("provinsi").get(url))
    assert sorted(links(page)) == sorted(names)
    rows = map_rows(page)
    for code, release_row in expected.items():
        cells = [cell.text for cell in rows[code].find_all("td")]
        if release_row is None or release_row["suppressed"]:
            assert cells == [NOT_ENOUGH], code
        else:
            assert cells[0] == shown("A.1", release_row["value"]), code


def test_a_kabkota_beranda_maps_its_province(client_for, accounts, data):
    """Beranda of a kab/kota: the province map with its indicator choice, the kab/kota marked."""
    own = data.region(accounts["kabkota"].region_code)
    page = parse(client_for("kabkota").get(f"/wilayah/{own.code}/?peta=A.2"))
    section = page.one("section", "region-map")
    options = section.one("select", name="peta").find_all("option")
    assert [option.attrs["value"] for option in options if "selected" in option.attrs] == ["A.2"]
    assert map_rows(page)[own.code].attrs["aria-current"] == "true"
    assert len(map_rows(page)) == len(data.children(own.parent_code))


@pytest.mark.parametrize("value", ["X.9", "a.1", "A.1.1x", "", "A.1&peta=A.2"])
def test_unknown_map_indicator_is_a_400_page(client_for, accounts, value):
    """An indicator code the map does not know (or asked twice) is the 400 page."""
    code = accounts["provinsi"].region_code
    response = client_for("provinsi").get(f"/wilayah/{code}/?peta={value}")
    if value == "":
        assert response.status_code == 200  # empty: the default, as for the filters
        return
    assert_error_page(response, 400, "Permintaan tidak valid")


def test_unknown_map_indicator_is_a_400_page_in_english(client_for, accounts):
    client = client_for("provinsi")
    client.cookies["django_language"] = "en"
    response = client.get(f"/wilayah/{accounts['provinsi'].region_code}/?peta=X.9")
    assert_error_page(response, 400, "Invalid request", language="en")
    assert "Unknown map indicator." in response.content.decode()


def test_an_indicator_the_jenjang_lacks_falls_back_to_the_default(client_for, accounts):
    """APK-SD left in the URL after switching to Menengah: the map shows A.1 again."""
    code = accounts["provinsi"].region_code
    page = parse(client_for("provinsi").get(f"/wilayah/{code}/?jenjang=menengah&peta=APK-SD"))
    assert page.one("section", "region-map").one("caption").text.startswith("Kemampuan Literasi")


def test_participation_map_shows_the_newest_year_with_data(client_for, built, release):
    """BPS lags the AN by a year: APK-SD in 2024 maps 2023, as the cards do."""
    provinces = children(built, None)
    codes = [row["region_code"] for row in provinces]
    page = parse(client_for("pusat").get(f"/wilayah/{NATIONAL}/?peta=APK-SD"))
    assert page.one("section", "region-map").one("caption").text.endswith("Tahun 2023")
    expected = expected_rows(release, "provinsi", codes, "APK-SD", year=2023)
    assert_map_matches(
        page, expected, {row["region_code"]: row["region_name"] for row in provinces}
    )


def test_the_table_and_legend_work_without_javascript(client_for):
    """Server-rendered: the table with its caption and header, the legend and the choice form
    are in the page; the map's box stays hidden until the script draws it, and points screen
    readers to the table."""
    page = parse(client_for("pusat").get(f"/wilayah/{NATIONAL}/"))
    section = page.one("section", "region-map")
    table = section.one("table", "map-table")
    assert [th.text for th in table.one("thead").find_all("th")] == ["Wilayah", "Nilai", "Capaian"]
    assert len(table.one("tbody").find_all("tr")) == 38
    box = section.one("div", "map")
    assert "hidden" in box.attrs
    assert box.attrs["role"] == "img" and "tabel" in box.attrs["aria-label"]
    assert box.attrs["data-map"].endswith("rapor/maps/provinsi.json")
    form = section.one("form", "map-choice")
    assert form.attrs["method"] == "get"
    assert form.one("button").attrs["type"] == "submit"


def test_a_province_map_loads_only_its_own_boundaries(client_for, accounts):
    code = accounts["provinsi"].region_code
    page = parse(client_for("provinsi").get(f"/wilayah/{code}/"))
    box = page.one("section", "region-map").one("div", "map")
    assert box.attrs["data-map"].endswith(f"rapor/maps/kabkota-{code}.json")


def test_boundary_files_hold_every_region_of_regions_csv(data):
    """provinsi.json has each province once, kabkota-<code>.json each of its kab/kota."""

    def codes(name: str) -> list[str]:
        features = json.loads((MAPS_DIR / name).read_text())["features"]
        return sorted(feature["properties"]["code"] for feature in features)

    provinces = data.children(NATIONAL)
    assert codes("provinsi.json") == sorted(region.code for region in provinces)
    for province in provinces:
        expected = sorted(child.code for child in data.children(province.code))
        assert codes(f"kabkota-{province.code}.json") == expected, province.code
    assert (MAPS_DIR / "LICENSE").read_text().count("Copyright (c) 2024 Cahya DSN") == 1


def test_child_values_is_one_lookup_for_all_children(data, accounts, monkeypatch):
    """The map reads its regions' values with one query of the index, not one per region."""
    province = data.region(accounts["provinsi"].region_code)
    selection = parse_selection(QueryDict(), data.years)
    data.regions  # noqa: B018 (read once per release: not the lookup measured)
    data.child_values.cache_clear()
    queries = []
    for method in ("_rows", "_lookup"):  # the index's DuckDB and SQLite files
        real = getattr(data, method)
        monkeypatch.setattr(
            data, method, lambda *args, real=real: queries.append(args) or real(*args)
        )
    indicator = load_catalogue().indicator("A.1")
    maps.region_map(data, province, selection, indicator, frozenset(), no_link)
    assert len(queries) == 1


def test_each_region_has_its_children_of_the_release(data):
    """A map's regions: the nation's are the provinces, a province's its kab/kota, a kab/kota's
    none; each list in code order, as in the release's `regions` table."""
    regions = pl.read_parquet(data.release.path / "regions.parquet")
    provinces = regions.filter(pl.col("region_level") == "provinsi")
    expected = {NATIONAL: sorted(provinces["region_code"])}
    for province in provinces["region_code"]:
        kabkota = regions.filter(pl.col("parent_code") == province)["region_code"]
        expected[province] = sorted(kabkota)
    kabkota_code = regions.filter(pl.col("region_level") == "kabkota")["region_code"][0]
    expected[kabkota_code] = []
    assert all(expected[code] for code in expected if code != kabkota_code)
    assert {code: [r.code for r in data.children(code)] for code in expected} == expected
