"""Beranda and the indicator detail page show exactly the release's values.

The expected values are read straight from the release's Parquet files with polars, not through the
web app's DuckDB index, and formatted as the page formats them (two decimals, Indonesian decimal
comma). Cards are found by their `data-indicator` attribute and parsed with the standard library's
HTML parser. The parsing and formatting helpers here are shared with test_school.py.
"""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from html.parser import HTMLParser

import polars as pl
import pytest

from rapor.catalogue import load_catalogue
from tests.conftest import Built

LATEST = 2024  # the small synthetic scale has AN 2022-2024 and BPS 2022-2023
DEFAULT = {"jenjang": "dasar", "bentuk": "semua", "status": "semua", "year": LATEST}
PKBM_SLB_NOTE = (
    "Semua nilai di bawah belum memperhitungkan nilai dari PKBM, SLB satu atap, "
    "dan SLB tanpa jenjang."
)
NOT_ENOUGH = "Data tidak mencukupi"


# ------------------------------------------------------------------ HTML and number helpers

VOID_ELEMENTS = {
    *("area", "base", "br", "col", "embed", "hr", "img", "input"),
    *("link", "meta", "source", "track", "wbr"),
}


class Node:
    """An element of a parsed page."""

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[Node | str] = []

    @property
    def text(self) -> str:
        """The element's text, whitespace collapsed."""
        parts: list[str] = []

        def collect(node: Node) -> None:
            for child in node.children:
                parts.append(child) if isinstance(child, str) else collect(child)

        collect(self)
        return " ".join("".join(parts).split())

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        """Descendants (and self) by tag, class and attributes (`data_indicator` for
        `data-indicator`)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        return [
            node
            for node in self.iter()
            if (tag is None or node.tag == tag)
            and (cls is None or cls in node.classes)
            and all(node.attrs.get(name) == value for name, value in wanted.items())
        ]

    def one(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        """The single matching element (fails when there is none or more than one)."""
        found = self.find_all(tag, cls, **attrs)
        assert len(found) == 1, (
            f"expected one <{tag or '*'} class={cls} {attrs}>, found {len(found)}"
        )
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID_ELEMENTS:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(response, status: int = 200) -> Node:
    """The page of a response (with the status it must have) as a tree."""
    assert response.status_code == status, response.status_code
    builder = _TreeBuilder()
    builder.feed(response.content.decode())
    builder.close()
    return builder.root


def printed(value: float) -> Decimal:
    """A value as the page prints it: two decimals, rounded half up."""
    return Decimal(repr(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)


FIFTHS = ["Atas", "Menengah atas", "Menengah", "Menengah bawah", "Bawah"]


def rank_text(own: float, others: list[float]) -> str:
    """ "Atas (3 dari 41)": the rank of a value as printed among `others` (itself included),
    ties sharing the best rank, and its fifth of the ranking when at least 5 are ranked."""
    mine = printed(own)
    rank = 1 + sum(printed(other) > mine for other in others)
    position = f"{rank:,} dari {len(others):,}".replace(",", ".")
    if len(others) < 5:
        return position
    fifth = next(k for k in range(1, 6) if 5 * rank <= k * len(others))
    return f"{FIFTHS[fifth - 1]} ({position})"


def school_rank_texts(release, school: dict, jenjang: str, indicator: str) -> tuple[str, str]:
    """A school's rank texts (in its kab/kota, in the nation) for an indicator in the newest
    year: among the schools of its jenjang that count in region values and have a value; empty
    texts when it has no value ranked. `release` has the `values` and `schools` tables."""
    counted = release.schools.filter("counts_in_region_values").select(
        pl.col("npsn").alias("entity_code"), "kabkota_code"
    )
    pool = release.values.filter(
        (pl.col("entity_type") == "sekolah")
        & (pl.col("year") == LATEST)
        & ~pl.col("suppressed")
        & (pl.col("jenjang") == jenjang)
        & (pl.col("indicator") == indicator)
    ).join(counted, on="entity_code")
    own = pool.filter(entity_code=school["npsn"])
    if own.is_empty():
        return "", ""
    value = own["value"][0]
    local = pool.filter(kabkota_code=school["kabkota_code"])["value"].to_list()
    return rank_text(value, local), rank_text(value, pool["value"].to_list())


def idn(value: float, places: int = 2) -> str:
    """A number as the page shows it: rounded half up, Indonesian decimal comma, no grouping."""
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return str(rounded).replace(".", ",")


def cell(value: float | None) -> str:
    """A value in a table cell: two decimals, or why it is missing."""
    return NOT_ENOUGH if value is None else idn(value)


def shown(indicator: str, value: float) -> str:
    """A card's value as shown: percentages carry a % sign."""
    unit = load_catalogue().indicator(indicator).unit
    return idn(value) + ("%" if unit == "persen" else "")


def query(**selection) -> str:
    chosen = {**DEFAULT, **selection}
    return (
        f"?jenjang={chosen['jenjang']}&bentuk={chosen['bentuk']}"
        f"&status={chosen['status']}&tahun={chosen['year']}"
    )


# ------------------------------------------------------------------ the release, read independently


class Release:
    """The release's tables, read with polars once per module."""

    def __init__(self, built: Built) -> None:
        self.built = built

    @cached_property
    def values(self) -> pl.DataFrame:
        return self.built.table("indicator_values")

    @cached_property
    def peers(self) -> pl.DataFrame:
        return self.built.table("peer_values")

    @cached_property
    def schools(self) -> pl.DataFrame:
        return self.built.table("schools")

    @cached_property
    def regions(self) -> pl.DataFrame:
        return self.built.table("regions")

    @cached_property
    def region_names(self) -> dict[str, str]:
        rows = self.regions.iter_rows(named=True)
        return {row["region_code"]: row["region_name"] for row in rows}

    @cached_property
    def ability(self) -> pl.DataFrame:
        return self.built.table("ability_distribution")

    @cached_property
    def participation(self) -> pl.DataFrame:
        return self.built.table("participation_by_ses")

    def rows(self, table: pl.DataFrame, code: str, **key) -> pl.DataFrame:
        """An entity's rows of a table for one filter combination (keys of DEFAULT by default)."""
        chosen = {**DEFAULT, **key}
        condition = pl.col("entity_code") == code
        for column, value in chosen.items():
            if column in table.columns and value is not None:
                condition &= pl.col(column) == value
        return table.filter(condition)

    def row(self, code: str, indicator: str, **key) -> dict:
        """The one indicator_values row of an entity, indicator and filter."""
        found = self.rows(self.values, code, indicator=indicator, **key)
        assert found.height == 1, f"{code} {indicator} {key}: {found.height} rows"
        return found.row(0, named=True)

    def peer(self, code: str, indicator: str, **key) -> dict:
        found = self.rows(self.peers, code, indicator=indicator, **key)
        assert found.height == 1, f"{code} {indicator} {key}: {found.height} peer rows"
        return found.row(0, named=True)


@pytest.fixture(scope="module")
def release(built: Built) -> Release:
    return Release(built)


def top_level(level: str, jenjang: str, participation: bool = False) -> list[str]:
    """The catalogue's top-level indicators a region level shows for a jenjang."""
    return [
        indicator.code
        for indicator in load_catalogue().indicators
        if level in indicator.levels
        and jenjang in indicator.jenjang
        and (indicator.participation is not None) == participation
    ]


def assert_card_matches(card: Node, row: dict) -> None:
    """A card shows the release row: its value and label, or that it is withheld."""
    code = row["indicator"]
    if row["suppressed"]:
        assert NOT_ENOUGH in card.text, code
        assert not card.find_all("span", "value"), code
        return
    assert card.one("span", "value").text == shown(code, row["value"]), code
    assert card.one("span", "label").text == row["label"], code


def participation_card(page: Node, code: str) -> Node:
    """The APK/APS/APM card of an indicator (found by its Selengkapnya link)."""
    cards = [
        card
        for card in page.one("section", "participation").find_all("article", "card")
        if any(f"/indikator/{code}/" in a.attrs.get("href", "") for a in card.find_all("a"))
    ]
    assert len(cards) == 1, code
    return cards[0]


# ------------------------------------------------------------------ Beranda


def test_region_cards_show_the_release_values(client_for, accounts, release):
    """Each indicator card of a kab/kota's Beranda shows the release's value and label for the
    default filter and the newest year."""
    code = accounts["kabkota"].region_code
    page = parse(client_for("kabkota").get(f"/wilayah/{code}/"))
    expected = top_level("kabkota", "dasar")
    cards = {
        card.attrs["data-indicator"]: card
        for section in page.find_all("section", "dimension")
        for card in section.find_all("article", "card")
    }
    assert sorted(cards) == sorted(expected)
    for indicator in expected:
        assert_card_matches(cards[indicator], release.row(code, indicator))


@pytest.mark.parametrize(
    "selection",
    [
        {"jenjang": "menengah", "bentuk": "sma", "status": "negeri"},
        {"jenjang": "menengah_pertama", "bentuk": "semua", "status": "swasta"},
        {"jenjang": "dasar", "bentuk": "mi", "status": "semua", "year": 2022},
    ],
    ids=["sma-negeri", "smp-swasta", "mi-2022"],
)
def test_filters_show_that_filters_release_values(client_for, accounts, release, selection):
    """A filter in the URL (jenjang, bentuk, status, year) shows the release's values for that
    filter, which differ from the default filter's."""
    code = accounts["provinsi"].region_code
    page = parse(client_for("provinsi").get(f"/wilayah/{code}/{query(**selection)}"))
    changed = 0
    for indicator in top_level("provinsi", selection["jenjang"]):
        row = release.row(code, indicator, **selection)
        assert_card_matches(page.one("article", data_indicator=indicator), row)
        default = release.rows(release.values, code, indicator=indicator)
        changed += default.is_empty() or default.row(0, named=True)["value"] != row["value"]
    assert changed, "the filter should change at least one value"


def test_participation_cards_fall_back_to_the_latest_year_with_data(client_for, accounts, release):
    """In a year without BPS data (the newest), APK/APS/APM say "Data Terbaru Belum Tersedia"
    and show the latest earlier year's value and SES quintile rows."""
    code = accounts["kabkota"].region_code
    page = parse(client_for("kabkota").get(f"/wilayah/{code}/"))
    participation = top_level("kabkota", "dasar", participation=True)
    assert len(participation) == 3
    bps_years = release.rows(release.values, code, year=None, indicator=participation[0])["year"]
    assert LATEST not in bps_years.to_list()
    fallback = bps_years.max()
    for indicator in participation:
        card = participation_card(page, indicator)
        assert "Data Terbaru Belum Tersedia" in card.text
        row = release.row(code, indicator, year=fallback)
        assert_card_matches(card, row)
        assert f"Tahun {fallback}" in card.one("p", "meta").text
        assert_ses_rows(card, release, code, indicator, fallback)


def test_participation_detail_falls_back_to_the_latest_year_with_data(
    client_for, accounts, release
):
    """An APK detail page in a year without BPS data shows the newest earlier value, says
    "Data Terbaru Belum Tersedia", and compares that year's averages."""
    code = accounts["kabkota"].region_code
    page = parse(client_for("kabkota").get(f"/wilayah/{code}/indikator/APK-SD/"))
    main = page.one("section", "card-main")
    assert "Data Terbaru Belum Tersedia" in main.text
    row = release.row(code, "APK-SD", year=2023)
    assert shown("APK-SD", row["value"]) in main.one("span", "value").text
    province = release.row("34", "APK-SD", year=2023)
    rows = [tr.text for tr in page.one("section", "comparisons").one("tbody").find_all("tr")]
    assert any(r.startswith("Rata-rata Provinsi") and idn(province["value"]) in r for r in rows)
    # The quintiles of the Beranda card, of the same year (the card's "Selengkapnya" had none).
    assert_ses_rows(page.one("section", "ses-detail"), release, code, "APK-SD", 2023)


def assert_ses_rows(card: Node, release: Release, code: str, indicator: str, year: int) -> None:
    ses = release.participation.filter(
        (pl.col("entity_code") == code)
        & (pl.col("indicator") == indicator)
        & (pl.col("year") == year)
    ).sort("ses_quintile")
    assert ses["ses_quintile"].to_list() == [1, 2, 3, 4, 5]
    cells = [td.text for td in card.one("table", "ses").find_all("td")]
    assert cells == [idn(value) + "%" for value in ses["value"]]


def test_participation_cards_of_a_year_with_data_have_no_notice(client_for, accounts, release):
    """For a year with BPS data, APK/APS/APM show that year's values and SES rows without the
    "Data Terbaru Belum Tersedia" notice."""
    code = accounts["kabkota"].region_code
    page = parse(client_for("kabkota").get(f"/wilayah/{code}/{query(year=2023)}"))
    for indicator in top_level("kabkota", "dasar", participation=True):
        card = participation_card(page, indicator)
        assert "Data Terbaru Belum Tersedia" not in card.text
        assert_card_matches(card, release.row(code, indicator, year=2023))
        assert_ses_rows(card, release, code, indicator, 2023)


def test_participation_cards_ignore_bentuk_and_status(client_for, accounts, release):
    """APK/APS/APM are about the age group's population, so bentuk and status leave them as
    they are for the whole jenjang."""
    code = accounts["kabkota"].region_code
    page = parse(
        client_for("kabkota").get(f"/wilayah/{code}/{query(bentuk='sd', status='swasta')}")
    )
    for indicator in top_level("kabkota", "dasar", participation=True):
        row = release.row(code, indicator, year=2023)
        assert_card_matches(participation_card(page, indicator), row)


def test_suppressed_value_says_data_tidak_mencukupi(client_for, accounts, release):
    """A value the release withholds shows "Data tidak mencukupi" with the reason, and no
    number."""
    province = accounts["provinsi"].region_code
    withheld = release.values.filter(
        (pl.col("entity_type") == "kabkota")
        & pl.col("entity_code").str.starts_with(province + ".")
        & pl.col("suppressed")
    ).sort("entity_code", "year", "jenjang", "bentuk", "status", "indicator")
    row = next(
        (
            row
            for row in withheld.iter_rows(named=True)
            if row["indicator"] in top_level("kabkota", row["jenjang"])
        ),
        None,
    )
    assert row is not None, "the small release has withheld kab/kota values"
    key = {k: row[k] for k in ("jenjang", "bentuk", "status", "year")}
    page = parse(client_for("provinsi").get(f"/wilayah/{row['entity_code']}/{query(**key)}"))
    card = page.one("article", data_indicator=row["indicator"])
    assert_card_matches(card, row)
    assert "tidak ada satuan pendidikan dengan data yang cukup" in card.text


def test_card_shows_code_year_source_and_counts(client_for, accounts, release):
    """Each card says where its figure comes from: indicator code, year, source and the number
    of schools and students or teachers behind it."""
    code = accounts["kabkota"].region_code
    page = parse(client_for("kabkota").get(f"/wilayah/{code}/"))
    for indicator in ("A.1", "D.5"):
        row = release.row(code, indicator)
        meta = page.one("article", data_indicator=indicator).one("p", "meta").text
        assert meta.startswith(f"{indicator} · Tahun {LATEST} · Asesmen Nasional")
        assert f"{grouped(row['n_schools'])} satuan pendidikan" in meta
        counted = row["n_students"] or row["n_teachers"]
        assert counted and grouped(counted) in meta


def grouped(count: int) -> str:
    """A count as the Indonesian page writes it: thousands grouped with dots (64.113)."""
    return f"{count:,}".replace(",", ".")


def test_pkbm_slb_note_is_shown(client_for, accounts):
    """Beranda carries the guide's note that PKBM and multi-level SLB are not counted."""
    code = accounts["provinsi"].region_code
    page = parse(client_for("provinsi").get(f"/wilayah/{code}/"))
    assert PKBM_SLB_NOTE in page.one("p", "note").text


def no_counted_schools_notice(place: str) -> str:
    return (
        f"Tidak ada satuan pendidikan yang diperhitungkan untuk pilihan ini di {place} pada "
        f"tahun {LATEST}. Nilai wilayah tidak memperhitungkan PKBM (Paket A, B, dan C), SLB satu "
        "atap, dan SLB tanpa jenjang; nilai masing-masing ada di halaman satuan pendidikannya."
    )


def test_a_selection_no_school_counts_in_says_why(client_for, accounts, data):
    """Paket A is run by PKBM, which region values leave out: the Beranda and a detail page say
    so, instead of leaving every card empty without a reason. A selection with values does not."""
    code = accounts["kabkota"].region_code
    notice = no_counted_schools_notice(data.region(code).name)
    client = client_for("kabkota")
    for path in (f"/wilayah/{code}/", f"/wilayah/{code}/indikator/A.1/"):
        page = parse(client.get(path + query(bentuk="paket_a")))
        assert [p.text for p in page.find_all("p", "notice")] == [notice], path
        assert page.find_all("p", "no-data")
        assert not parse(client.get(path + query())).find_all("p", "notice"), path


def test_a_selection_no_school_counts_in_links_the_schools_it_lists(client_for, accounts, data):
    """SLB of the jenjang Khusus count in no region value of the demo province when all of them
    are satu atap: Beranda leads to the list of those schools with their own values, and only
    when it lists some."""
    client = client_for("provinsi")
    leads = {}
    for region in (data.region(accounts["provinsi"].region_code), *data.children("34")):
        page = parse(client.get(f"/wilayah/{region.code}/" + query(jenjang="khusus")))
        notices = page.find_all("p", "notice")
        if not notices:
            continue
        links = notices[0].find_all("a")
        leads[region.code] = links[0].attrs["href"] if links else None
    assert any(leads.values()), "no region of the province leads to uncounted SLB: proves nothing"
    for code, href in leads.items():
        detail = parse(client.get(f"/wilayah/{code}/indikator/A.1/" + query(jenjang="khusus")))
        listed = detail.find_all("table", "school-table")
        assert bool(href) == bool(listed), code
        if href:
            assert parse(client.get(href)).one("table", "school-table").one("tbody").find_all("tr")


def test_school_list_marks_the_schools_region_values_leave_out(client_for, accounts, release):
    """PKBM and multi-level SLB are listed with their own values and marked as not counted in
    the region's; every other school is not marked."""
    code = accounts["provinsi"].region_code
    counted = dict(release.schools.select("npsn", "counts_in_region_values").iter_rows())
    client = client_for("provinsi")
    marked = {True: 0, False: 0}
    for jenjang, bentuk in (("menengah", "paket_c"), ("menengah", "sma"), ("khusus", "semua")):
        page = detail(client, code, "A.1", jenjang=jenjang, bentuk=bentuk)
        for tr in page.one("table", "school-table").one("tbody").find_all("tr"):
            npsn = tr.find_all("td")[1].text
            notes = [small.text for small in tr.find_all("small", "not-counted")]
            assert notes == ([] if counted[npsn] else ["tidak dihitung dalam nilai wilayah"])
            marked[counted[npsn]] += 1
    assert marked[True] and marked[False]  # else the test proves nothing


@pytest.mark.parametrize(
    ("role", "code", "title"),
    [
        ("provinsi", "34", "Ringkasan Kualitas Pendidikan Provinsi Anda"),
        ("provinsi", "34.01", "Ringkasan Kualitas Pendidikan Kabupaten/Kota"),
        ("kabkota", "34.01", "Ringkasan Kualitas Pendidikan Kabupaten/Kota Anda"),
        ("pusat", "ID", "Ringkasan Kualitas Pendidikan Nasional"),
        ("pusat", "34", "Ringkasan Kualitas Pendidikan Provinsi"),
    ],
)
def test_header_names_the_region_and_says_anda_for_the_own_region(
    client_for, data, role, code, title
):
    """The header names the region and says "… Anda" only on the account's own region."""
    page = parse(client_for(role).get(f"/wilayah/{code}/"))
    header = page.one("header", "page-header")
    assert header.one("h1").text == title
    assert data.region(code).name in header.text


def test_bentuk_outside_the_jenjang_falls_back_to_all_with_a_notice(client_for, accounts, release):
    """A bentuk left over from another jenjang (a form sent without JavaScript) shows the whole
    jenjang with a notice instead of an error."""
    code = accounts["kabkota"].region_code
    page = parse(client_for("kabkota").get(f"/wilayah/{code}/{query(bentuk='sma')}"))
    assert "SMA tidak termasuk jenjang Dasar" in page.one("p", "notice").text
    assert_card_matches(page.one("article", data_indicator="A.1"), release.row(code, "A.1"))


def test_filter_form_keeps_the_selection(client_for, accounts):
    """The filter form shows the selection from the URL, and the bentuk list belongs to the
    chosen jenjang."""
    code = accounts["provinsi"].region_code
    selection = {"jenjang": "menengah", "bentuk": "smk", "status": "swasta", "year": 2023}
    page = parse(client_for("provinsi").get(f"/wilayah/{code}/{query(**selection)}"))
    form = page.one("form", "filters")
    chosen = {
        select.attrs["name"]: [
            o.attrs["value"] for o in select.find_all("option") if "selected" in o.attrs
        ]
        for select in form.find_all("select")
    }
    assert chosen == {
        "jenjang": ["menengah"],
        "bentuk": ["smk"],
        "status": ["swasta"],
        "tahun": ["2023"],
    }
    bentuk = [o.attrs["value"] for o in form.one("select", name="bentuk").find_all("option")]
    assert bentuk == ["semua", "sma", "ma", "smk", "smalb", "paket_c"]


def test_htmx_request_gets_only_the_content_fragment(client_for, accounts, release):
    """An htmx request gets the content fragment with the same values, without the page
    around it."""
    code = accounts["kabkota"].region_code
    client = client_for("kabkota")
    url = f"/wilayah/{code}/{query(jenjang='menengah', bentuk='sma', status='negeri')}"
    fragment = client.get(url, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert "<html" not in text and "<head>" not in text and "<body" not in text
    assert text.lstrip().startswith('<div id="content">')
    row = release.row(code, "A.1", jenjang="menengah", bentuk="sma", status="negeri")
    assert_card_matches(parse(fragment).one("article", data_indicator="A.1"), row)
    assert "<html" in client.get(url).content.decode()


def test_htmx_history_restore_gets_the_whole_page(client_for, accounts):
    """When the browser's back button asks htmx to restore a page it has no copy of, the answer
    is the whole page, not a bare fragment."""
    code = accounts["kabkota"].region_code
    response = client_for("kabkota").get(
        f"/wilayah/{code}/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


# ------------------------------------------------------------------ indicator detail


def test_participation_detail_without_filters_opens_at_its_own_jenjang(client_for, accounts):
    """A link to APK-SMP without a query opens it for Menengah Pertama instead of failing on the
    default jenjang (Dasar), which APK-SMP does not belong to."""
    code = accounts["kabkota"].region_code
    response = client_for("kabkota").get(f"/wilayah/{code}/indikator/APK-SMP/")
    assert response.status_code == 200
    assert (
        parse(response).one("select", name="jenjang").one("option", selected="").attrs["value"]
        == "menengah_pertama"
    )


@pytest.mark.parametrize(("page", "status"), [("0", 404), ("9999", 404), ("abc", 400)])
def test_school_list_page_outside_the_list_is_refused(client_for, accounts, page, status):
    """A school-list page number that does not exist is a 404, one that is not a number a 400."""
    code = accounts["kabkota"].region_code
    response = client_for("kabkota").get(f"/wilayah/{code}/indikator/A.1/?halaman={page}")
    assert response.status_code == status


def detail(client, code: str, indicator: str, extra: str = "", **selection) -> Node:
    return parse(client.get(f"/wilayah/{code}/indikator/{indicator}/{query(**selection)}{extra}"))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "id",
            "Rentang nilai capaian: Kurang di bawah 40; Sedang 40 sampai di bawah 70; "
            "Baik 70 ke atas",
        ),
        (
            "en",
            "Value ranges of the labels: Low below 40; Moderate 40 to below 70; Good 70 and above",
        ),
    ],
)
def test_detail_states_the_value_range_of_each_label(client_for, accounts, language, expected):
    """The detail page says which values each label covers (reference-facts: literacy is Baik
    from 70 % of students at the minimum, Kurang under 40 %), so a reader can place a value."""
    client = client_for("kabkota")
    client.cookies["django_language"] = language
    page = detail(client, accounts["kabkota"].region_code, "A.1")
    assert page.one("p", "bands").text == expected


@pytest.mark.parametrize("indicator", ["A.1", "A.2", "D.4"])
def test_detail_shows_the_sub_indicators_release_values(client_for, accounts, release, indicator):
    """The detail page shows every sub-indicator of the indicator with the release's value, and
    says so where they are scores under a percentage (literacy "Baik 81 %" made of "Sedang"
    scores)."""
    code = accounts["kabkota"].region_code
    page = detail(client_for("kabkota"), code, indicator)
    subs = [sub.code for sub in load_catalogue().indicator(indicator).sub_indicators]
    assert subs
    section = page.one("section", "subs-detail")
    scale_notes = [p.text for p in section.find_all("p", "meta") if "skor 0-100" in p.text]
    assert len(scale_notes) == (indicator != "D.4")
    cards = section.find_all("article", "card")
    by_code = {card.one("p", "meta").text.split(" ")[0]: card for card in cards}
    assert sorted(by_code) == sorted(subs)
    for sub in subs:
        assert_card_matches(by_code[sub], release.row(code, sub))


@pytest.mark.parametrize("indicator", ["A.1", "A.2"])
def test_detail_shows_the_ability_distribution(client_for, accounts, release, indicator):
    """Literacy and numeracy details show the share of students at each AKM level, as in the
    release."""
    code = accounts["kabkota"].region_code
    page = detail(client_for("kabkota"), code, indicator)
    levels = release.rows(release.ability, code, indicator=indicator).sort("level")
    assert levels["level"].to_list() == [1, 2, 3, 4]
    shares = [
        span.text for span in page.one("section", "ability").find_all("span", "ability-value")
    ]
    assert shares == [idn(share, 1) + "%" for share in levels["share_pct"]]


def test_detail_has_no_ability_distribution_for_other_indicators(client_for, accounts):
    """Indicators other than literacy and numeracy have no ability distribution."""
    code = accounts["kabkota"].region_code
    page = detail(client_for("kabkota"), code, "D.1")
    assert not page.find_all("section", "ability")


def test_detail_without_a_value_under_the_filter_says_so(client_for, accounts, release):
    """A filter under which the region has no school (no row in the release) gives the detail
    page with "no data for this choice", not an error."""
    code = accounts["kabkota"].region_code
    jenjang = load_catalogue().filters.jenjang_group("dasar")
    present = set(
        release.rows(release.values, code, bentuk=None, status=None, indicator="A.1")
        .select(pl.concat_str("bentuk", "status", separator="|"))
        .to_series()
    )
    empty = next(
        (bentuk, status)
        for bentuk in jenjang.bentuk
        for status in ("negeri", "swasta")
        if f"{bentuk}|{status}" not in present
    )
    page = detail(client_for("kabkota"), code, "A.1", bentuk=empty[0], status=empty[1])
    main = page.one("section", "card-main")
    assert main.one("p", "no-data").text == "Tidak ada data untuk pilihan ini"
    assert not main.find_all("p", "interval")


def comparison_rows(page: Node) -> list[tuple[str, str]]:
    """The comparison table's rows: (label cell text, value cell text), in order."""
    table = page.one("section", "comparisons").one("table").one("tbody")
    return [(tr.one("th").text, tr.find_all("td")[0].text) for tr in table.find_all("tr")]


def test_kabkota_detail_compares_with_peers_province_and_nation(client_for, accounts, release):
    """A kab/kota's detail compares its own value with similar kab/kota, its province's average
    and the national average, each equal to the release."""
    code = accounts["kabkota"].region_code
    selection = {"jenjang": "menengah_pertama", "bentuk": "semua", "status": "negeri"}
    page = detail(client_for("kabkota"), code, "A.1", **selection)
    peer = release.peer(code, "A.1", **selection)
    rows = comparison_rows(page)
    assert len(rows) == 4
    (_, own), (peers_label, peers), (province_label, province), (nation_label, nation) = rows
    assert own == cell(release.row(code, "A.1", **selection)["value"])
    assert peers_label.startswith("Kabupaten/Kota serupa")
    assert f"({peer['n_peers']} wilayah)" in peers_label
    assert peers == cell(peer["peer_value"])
    assert province_label.startswith("Rata-rata Provinsi")
    assert province == cell(release.row(code.split(".")[0], "A.1", **selection)["value"])
    assert nation_label.startswith("Rata-rata Nasional")
    assert nation == cell(release.row("ID", "A.1", **selection)["value"])
    # The chart's bars carry the same values and, across them, the same 95 % intervals.
    chart = json.loads(page.one("script", id="cmp-data").text)
    subjects = [code, None, code.split(".")[0], "ID"]  # None: the peers' mean
    for row, subject in zip(chart, subjects, strict=True):
        if subject is None:
            assert row["value"] == pytest.approx(peer["peer_value"])
            continue
        published = release.row(subject, "A.1", **selection)
        assert (row["value"], row["lower"], row["upper"]) == pytest.approx(
            (published["value"], published["ci_lower"], published["ci_upper"])
        )


def group_members(release, code: str, indicator: str, **selection) -> pl.DataFrame:
    """The kab/kota of `code`'s peer group with a value (`code` among them), with their values."""
    group = release.rows(release.peers, code, indicator=indicator, **selection)["peer_group"][0]
    same = (
        (pl.col("year") == LATEST)
        & (pl.col("indicator") == indicator)
        & (pl.col("jenjang") == selection["jenjang"])
        & (pl.col("bentuk") == selection["bentuk"])
        & (pl.col("status") == selection["status"])
    )
    return (
        release.peers.filter(
            (pl.col("entity_type") == "kabkota") & (pl.col("peer_group") == group) & same
        )
        .select("entity_code")
        .join(release.values, on="entity_code")
        .filter(same & pl.col("value").is_not_null())
    )


def listed_peers(page: Node) -> str:
    return page.one("section", "comparisons").one("details", "peers").one("p").text


def test_kabkota_detail_names_its_similar_kabkota(client_for, accounts, release):
    """ "Lihat daftarnya" under "Kabupaten/Kota serupa" names the kab/kota whose values make the
    peer mean: the others of its peer group with a value, whose mean is the value shown."""
    code = accounts["kabkota"].region_code
    selection = {"jenjang": "dasar", "bentuk": "semua", "status": "semua"}
    page = detail(client_for("kabkota"), code, "A.1", **selection)
    peer = release.peer(code, "A.1", **selection)
    members = group_members(release, code, "A.1", **selection).filter(pl.col("entity_code") != code)
    assert members.height == peer["n_peers"] >= 2
    assert sum(members["value"]) / members.height == pytest.approx(peer["peer_value"])
    names = release.region_names
    assert listed_peers(page) == ", ".join(sorted(names[m] for m in members["entity_code"]))


def test_every_kabkota_of_a_group_names_the_others(client_for, accounts, release):
    """The members of one peer group, opened one after another, each name all the others and
    never themselves (the group is looked up once for all of them)."""
    selection = {"jenjang": "dasar", "bentuk": "semua", "status": "semua"}
    members = group_members(release, accounts["kabkota"].region_code, "A.1", **selection)
    names = release.region_names
    client = client_for("pusat")
    for code in members["entity_code"]:
        others = sorted(names[other] for other in members["entity_code"] if other != code)
        assert listed_peers(detail(client, code, "A.1", **selection)) == ", ".join(others)


def test_kabkota_detail_ranks_it_in_its_province_and_the_nation(client_for, accounts, release):
    """A kab/kota's detail (all bentuk and status) says where its value ranks among the kab/kota
    of its province and of the nation, and that ranks leave sampling error aside; a filtered
    view says why it has no rank."""
    code = accounts["kabkota"].region_code
    pool = release.values.filter(
        (pl.col("entity_type") == "kabkota")
        & (pl.col("year") == LATEST)
        & (pl.col("indicator") == "A.1")
        & (pl.col("jenjang") == "dasar")
        & (pl.col("bentuk") == "semua")
        & (pl.col("status") == "semua")
        & (pl.col("n_schools") > 0)
    )
    own = pool.filter(entity_code=code)["value"][0]
    province = pool.filter(pl.col("entity_code").str.starts_with(code.split(".")[0] + "."))
    page = detail(client_for("kabkota"), code, "A.1")
    assert page.one("p", "ranks").text == (
        f"Peringkat di Provinsi: {rank_text(own, province['value'].to_list())}"
        f" · Peringkat secara Nasional: {rank_text(own, pool['value'].to_list())}"
    )
    notes = [p.text for p in page.find_all("p", "how")]
    assert any("tanpa memperhitungkan ketidakpastian sampel" in note for note in notes)
    filtered = detail(client_for("kabkota"), code, "A.1", status="negeri")
    assert not filtered.find_all("p", "ranks")
    assert "Peringkat hanya dihitung untuk semua bentuk dan status satuan pendidikan." in [
        p.text for p in filtered.find_all("p", "how")
    ]


def test_province_detail_compares_with_peers_and_nation(client_for, accounts, release):
    """A province's detail compares its own value with similar provinces and the national
    average, each equal to the release."""
    code = accounts["provinsi"].region_code
    page = detail(client_for("provinsi"), code, "A.3")
    rows = comparison_rows(page)
    assert len(rows) == 3
    (_, own), (peers_label, peers), (nation_label, nation) = rows
    assert own == cell(release.row(code, "A.3")["value"])
    assert peers_label.startswith("Provinsi serupa")
    assert peers == cell(release.peer(code, "A.3")["peer_value"])
    assert nation_label.startswith("Rata-rata Nasional")
    assert nation == cell(release.row("ID", "A.3")["value"])


def test_detail_shows_every_years_value(client_for, accounts, release):
    """The detail page's year table shows the indicator's value in each year of the release."""
    code = accounts["kabkota"].region_code
    page = detail(client_for("kabkota"), code, "A.2")
    series = release.rows(release.values, code, indicator="A.2", year=None).sort("year")
    table = page.one("table", "series")
    assert [th.text for th in table.one("thead").find_all("th")] == [str(y) for y in series["year"]]
    values = table.one("tbody").find_all("tr")[0]
    assert [td.text for td in values.find_all("td")] == [idn(v) for v in series["value"]]


def region_school_rows(release: Release, code: str, indicator: str, **selection) -> pl.DataFrame:
    """The release's school rows behind a region's school list."""
    chosen = {**DEFAULT, **selection}
    group = load_catalogue().filters.jenjang_group(chosen["jenjang"]).bentuk
    bentuk = list(group) if chosen["bentuk"] == "semua" else [chosen["bentuk"]]
    level = "kabkota_code" if "." in code else "provinsi_code"
    in_region = release.schools.filter(pl.col(level) == code)["npsn"]
    condition = (
        (pl.col("entity_type") == "sekolah")
        & (pl.col("indicator") == indicator)
        & (pl.col("year") == chosen["year"])
        & pl.col("bentuk").is_in(bentuk)
        & pl.col("entity_code").is_in(in_region.implode())
    )
    if chosen["status"] != "semua":
        condition &= pl.col("status") == chosen["status"]
    return release.values.filter(condition)


SCHOOL_COLUMNS = {  # the school list's headers, in Indonesian and English
    **dict.fromkeys(["Nama", "Name"], "name"),
    "NPSN": "npsn",
    **dict.fromkeys(["Kabupaten/Kota", "Regency/City"], "kabkota"),
    **dict.fromkeys(["Bentuk", "Type"], "bentuk"),
    "Status": "status",
    **dict.fromkeys(["Nilai", "Value"], "value"),
    **dict.fromkeys(["Capaian", "Achievement"], "label"),
    **dict.fromkeys(["Responden", "Respondents"], "respondents"),
}


def school_table(page: Node) -> list[dict]:
    """The school list's rows, by column: name, npsn, (a province's) kabkota, bentuk, status,
    value, label, respondents."""
    table = page.one("table", "school-table")
    columns = [SCHOOL_COLUMNS[th.text] for th in table.one("thead").find_all("th")]
    return [
        dict(zip(columns, (td.text for td in tr.find_all("td")), strict=True))
        for tr in table.one("tbody").find_all("tr")
    ]


def natural_name(name: str) -> str:
    """A school name as people sort it: numbers as numbers ("SD Negeri 2" before "SD Negeri
    10"), letters without case."""
    return re.sub(r"\d+", lambda number: number.group().zfill(12), name).lower()


def test_school_list_sorts_names_as_people_count(client_for, accounts, release):
    """The list by name puts SD Negeri 2 before SD Negeri 10 (a plain text sort put 10, 100 and
    101 before 2)."""
    code = accounts["kabkota"].region_code
    page = detail(client_for("kabkota"), code, "A.1")
    rows = page.one("table", "school-table").one("tbody").find_all("tr")
    names = [tr.find_all("td")[0].text for tr in rows]
    expected = region_school_rows(release, code, "A.1").join(
        release.schools.select("npsn", "school_name"), left_on="entity_code", right_on="npsn"
    )
    by_name = sorted(
        zip(expected["school_name"], expected["entity_code"], strict=True),
        key=lambda pair: (natural_name(pair[0]), pair[1]),
    )
    assert names == [name for name, _ in by_name][:50]
    assert names != sorted(names), "the list holds names a plain sort would put elsewhere"


def test_school_list_sorts_by_value_descending(client_for, accounts, release):
    """`?urut=nilai&arah=turun` lists the region's schools from the highest value down, withheld
    values last."""
    code = accounts["kabkota"].region_code
    page = detail(client_for("kabkota"), code, "A.1", extra="&urut=nilai&arah=turun")
    expected = region_school_rows(release, code, "A.1").sort(
        "value", descending=True, nulls_last=True
    )
    shown_rows = school_table(page)
    assert len(shown_rows) == min(50, expected.height)
    assert [row["value"] for row in shown_rows] == [cell(value) for value in expected["value"][:50]]
    # Sorting again (and paging) lands on the list, not at the top of the long page.
    links = page.one("table", "school-table").one("thead").find_all("a")
    assert links and all(a.attrs["href"].endswith("#schools-heading") for a in links)


def test_school_list_lists_exactly_the_schools_of_the_region(client_for, accounts, release):
    """The school list, over all its pages, holds exactly the region's schools under the filter,
    each with its kab/kota (a province's list), release value, label and the students behind
    the value (a 0 from 5 students is not a 0 from 40)."""
    code = accounts["provinsi"].region_code
    selection = {"jenjang": "menengah", "bentuk": "semua", "status": "swasta"}
    client = client_for("provinsi")
    expected = {
        row["entity_code"]: row
        for row in region_school_rows(release, code, "A.2", **selection).iter_rows(named=True)
    }
    first = detail(client, code, "A.2", **selection)
    heading = first.one("section", "schools").one("h2").text
    assert heading.endswith(f"({grouped(len(expected))})")
    # The card counts fewer: the list also holds the withheld and the uncounted.
    counted = release.row(code, "A.2", **selection)["n_schools"]
    assert counted < len(expected)
    note = first.one("section", "schools").one("p", "meta").text
    assert note.startswith(f"Nilai wilayah dihitung dari {grouped(counted)} satuan pendidikan;")
    listed, number = [], 1
    while True:
        page = detail(client, code, "A.2", f"&halaman={number}", **selection)
        listed += school_table(page)
        if not any("Berikutnya" in a.text for a in page.find_all("a")):
            break
        number += 1
    assert sorted(row["npsn"] for row in listed) == sorted(expected)
    names = {bentuk.code: bentuk.name for bentuk in load_catalogue().filters.bentuk}
    kabkota = dict(zip(release.schools["npsn"], release.schools["kabkota_name"], strict=True))
    for row in listed:
        value = expected[row["npsn"]]["value"]
        assert row["value"] == cell(value)
        assert row["kabkota"] == kabkota[row["npsn"]]
        assert row["respondents"] == f"{grouped(expected[row['npsn']]['n_students'])} peserta didik"
        assert row["label"] == (expected[row["npsn"]]["label"] or "")
        # As the filters name them ("Paket C", not the code PAKET_C).
        assert row["bentuk"] == names[expected[row["npsn"]]["bentuk"]]
        assert row["status"] == "Swasta"
    assert {"Paket C", "SMA"} <= {row["bentuk"] for row in listed}


def test_the_footer_dates_the_release_in_jakarta_time(client_for, data, monkeypatch):
    """The footer's "data rilis" is the release's day in the site's time zone (UTC+7): a release
    made at 20:00 UTC on 30 November is dated 1 December."""
    monkeypatch.setitem(data.release.manifest, "created_at", "2026-11-30T20:00:00+00:00")
    page = parse(client_for("kabkota").get("/beranda/", follow=True))
    assert "data rilis 1 Desember 2026" in page.one("footer").text


class CountingCache:
    """The shared cache, counting the reads that reach it."""

    def __init__(self, shared) -> None:
        self.shared = shared
        self.reads = 0

    def get(self, key: str):
        self.reads += 1
        return self.shared.get(key)

    def set(self, key: str, value, timeout: int) -> None:
        self.shared.set(key, value, timeout)


def test_shared_content_holds_nothing_of_the_account_that_rendered_it(client_for, accounts):
    """Content is rendered once and served to every account in scope that sees it alike: the
    province's office renders one of its kab/kota's Beranda, then a national account gets the
    same content, with neither the province account's name or email nor a CSRF token in it."""
    from django.core.cache import cache, caches

    code = accounts["kabkota"].region_code
    url = f"/wilayah/{code}/{query(jenjang='dasar', status='negeri')}"
    cache.clear()
    caches["content"].clear()
    rendered = client_for("provinsi").get(url, headers={"HX-Request": "true"}).content.decode()
    served = client_for("pusat").get(url, headers={"HX-Request": "true"}).content.decode()
    assert served == rendered
    province = accounts["provinsi"]
    for private in (province.name, province.email, "csrfmiddlewaretoken"):
        assert private not in served


def test_content_served_again_comes_from_the_workers_own_copy(client_for, accounts, monkeypatch):
    """A worker serves content it rendered again from its own memory, without a read of the
    shared cache (a round trip to Redis in production); another worker reads the shared copy.
    The page is the same each time."""
    from django.core.cache import caches

    from rapor.web.dashboard import views

    shared = CountingCache(views.cache)
    monkeypatch.setattr(views, "cache", shared)
    client = client_for("kabkota")
    url = f"/wilayah/{accounts['kabkota'].region_code}/{query(jenjang='dasar', status='swasta')}"
    caches["content"].clear()
    first = client.get(url, headers={"HX-Request": "true"}).content
    assert shared.reads == 1
    assert client.get(url, headers={"HX-Request": "true"}).content == first
    assert shared.reads == 1
    caches["content"].clear()  # as another worker: only the shared copy
    assert client.get(url, headers={"HX-Request": "true"}).content == first
    assert shared.reads == 2


def test_the_nations_detail_has_no_comparison_of_one_row(client_for):
    """The nation has no similar regions or wider average: its detail page shows no comparison
    table (it showed one row, Indonesia, and a chart of one bar); a province's has one."""
    assert not detail(client_for("pusat"), "ID", "A.1").find_all("section", "comparisons")
    assert detail(client_for("pusat"), "34", "A.1").find_all("section", "comparisons")
