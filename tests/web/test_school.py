"""The school view and its indicator detail show exactly the release's values for the school.

Expected values come from the release's Parquet files (read with polars); pages are parsed with
the helpers of test_beranda.py.
"""

from __future__ import annotations

import datetime

import polars as pl
import pytest
from django.utils import timezone

from rapor.catalogue import load_catalogue
from tests.web.test_beranda import (
    LATEST,
    NOT_ENOUGH,
    Node,
    Release,
    assert_card_matches,
    cell,
    detail,
    grouped,
    idn,
    parse,
    school_rank_texts,
    shown,
)

SERUPA_NOTE = (
    "Satuan pendidikan serupa: sekolah umum, luar biasa, dan madrasah di Indonesia yang "
    "memiliki karakteristik lokasi, dan sosial ekonomi peserta didik yang mirip dengan satuan "
    "pendidikan Anda."
)


@pytest.fixture(scope="module")
def release(built) -> Release:
    return Release(built)


def school_key(release: Release, npsn: str, jenjang: str | None = None) -> dict:
    """The filter key of a school's rows at one of its levels (its first when not given)."""
    rows = release.values.filter(
        (pl.col("entity_type") == "sekolah") & (pl.col("entity_code") == npsn)
    )
    levels = sorted(rows["jenjang"].unique())
    level = jenjang or levels[0]
    first = rows.filter(pl.col("jenjang") == level).row(0, named=True)
    return {"jenjang": level, "bentuk": first["bentuk"], "status": first["status"], "year": LATEST}


def definitions(block: Node) -> dict[str, str]:
    """A <dl>'s terms and descriptions."""
    return {
        pair.one("dt").text: pair.one("dd").text
        for pair in block.find_all("div")
        if pair.find_all("dt")
    }


def test_identity_block_shows_the_school_registry(client_for, accounts, release):
    """The identity block shows the school's name, NPSN, accreditation and its validity date,
    address, kab/kota and province, as in the release's school registry."""
    npsn = accounts["sekolah"].npsn
    school = release.schools.filter(pl.col("npsn") == npsn).row(0, named=True)
    page = parse(client_for("sekolah").get(f"/sekolah/{npsn}/"))
    identity = page.one("section", "identity")
    assert identity.one("h1").text == school["school_name"]
    assert definitions(identity.one("dl")) == {
        "Akreditasi": "Tidak Terakreditasi"
        if school["accreditation"] == "TT"
        else school["accreditation"],
        "NPSN": npsn,
        "Alamat": school["address"],
        "Kota/Provinsi": f"{school['kabkota_name']}, {school['provinsi_name']}",
        "Berlaku sampai": validity_text(school),
    }


MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def indonesian_date(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def validity_text(school: dict) -> str:
    valid_until = school["accreditation_valid_until"]
    if valid_until is None:
        return "-"
    ended = " (sudah berakhir)" if valid_until < timezone.localdate() else ""
    return indonesian_date(valid_until) + ended


def test_a_dinas_reader_can_go_up_to_the_schools_kabkota(client_for, accounts, release):
    """A dinas account reading a school gets a way back up to its kab/kota's Beranda, keeping
    the level and year; the school's own account has none (its Beranda is the school)."""
    npsn = accounts["sekolah"].npsn
    school = release.schools.filter(pl.col("npsn") == npsn).row(0, named=True)
    page = parse(client_for("kabkota").get(f"/sekolah/{npsn}/?jenjang=dasar&tahun=2023"))
    up = page.one("p", "breadcrumb").one("a")
    assert up.text == f"← {school['kabkota_name']}"
    assert up.attrs["href"] == f"/wilayah/{school['kabkota_code']}/?jenjang=dasar&tahun=2023"
    own = parse(client_for("sekolah").get(f"/sekolah/{npsn}/"))
    assert not own.find_all("p", "breadcrumb")


def test_an_ended_accreditation_says_so(client_for, release):
    """A validity date before today reads "sudah berakhir" (half the schools of a register can
    show a past date, which read like a current one); one still running does not; a school
    without accreditation says so in words (the register's code is TT) and has no date."""
    today = timezone.localdate()
    schools = release.schools.sort("npsn")
    ended = schools.filter(pl.col("accreditation_valid_until") < today).row(0, named=True)
    running = schools.filter(pl.col("accreditation_valid_until") >= today).row(0, named=True)
    none = schools.filter(pl.col("accreditation") == "TT").row(0, named=True)
    client = client_for("pusat")

    def identity(school: dict) -> dict[str, str]:
        page = parse(client.get(f"/sekolah/{school['npsn']}/"))
        return definitions(page.one("section", "identity").one("dl"))

    assert identity(ended)["Berlaku sampai"].endswith(" (sudah berakhir)")
    assert identity(running)["Berlaku sampai"] == indonesian_date(
        running["accreditation_valid_until"]
    )
    assert identity(none)["Akreditasi"] == "Tidak Terakreditasi"
    assert identity(none)["Berlaku sampai"] == "-"


@pytest.mark.parametrize("indicator", ["A.1", "A.2", "A.3"])
def test_learning_card_compares_the_school_with_similar_schools(
    client_for, accounts, release, indicator
):
    """Literacy, numeracy and character cards show the school's value and label, and "Satuan
    Pendidikan Anda" (with its 95 % interval) against "Satuan Pendidikan Serupa" equal to the
    release's value and peer value."""
    npsn = accounts["sekolah"].npsn
    key = school_key(release, npsn)
    row = release.row(npsn, indicator, **key)
    assert not row["suppressed"], "the demo school has values"
    peer = release.peer(npsn, indicator, **key)
    page = parse(client_for("sekolah").get(f"/sekolah/{npsn}/"))
    card = page.one("section", "learning").one("article", data_indicator=indicator)
    assert_card_matches(card, row)
    assert definitions(card.one("dl", "versus")) == {
        "Satuan Pendidikan Anda": f"{shown(indicator, row['value'])} (rentang 95%"
        # Two decimals, as the same interval on the indicator's page.
        f" {idn(row['ci_lower'])}\u2013{idn(row['ci_upper'])})",
        "Satuan Pendidikan Serupa": shown(indicator, peer["peer_value"]),
    }
    assert card.one("p", "narrative").text


@pytest.mark.parametrize("indicator", ["D.4", "D.5", "D.6"])
def test_climate_cards_show_the_release_labels(client_for, accounts, release, indicator):
    """The safety, gender equality and diversity cards show the release's label and value."""
    npsn = accounts["sekolah"].npsn
    row = release.row(npsn, indicator, **school_key(release, npsn))
    page = parse(client_for("sekolah").get(f"/sekolah/{npsn}/"))
    card = page.one("section", "climate").one("article", data_indicator=indicator)
    assert row["label"] in ("Aman", "Rentan", "Membudaya", "Berkembang", "Merintis", "Terbatas")
    assert_card_matches(card, row)


def test_serupa_note_defines_similar_schools(client_for, accounts):
    """The school view explains what "satuan pendidikan serupa" means: to the school itself
    "Anda", to a dinas reading it "ini"."""
    npsn = accounts["sekolah"].npsn
    page = parse(client_for("sekolah").get(f"/sekolah/{npsn}/"))
    assert SERUPA_NOTE in page.one("section", "learning").one("p", "note").text
    dinas = parse(client_for("kabkota").get(f"/sekolah/{npsn}/"))
    note = dinas.one("section", "learning").one("p", "note").text
    assert SERUPA_NOTE.replace("pendidikan Anda.", "pendidikan ini.") in note


def test_school_detail_compares_with_peers_and_region_averages(client_for, accounts, release):
    """A school's indicator detail compares its value with similar schools and with its
    kab/kota, province and national averages for its bentuk, as in the release."""
    npsn = accounts["sekolah"].npsn
    key = school_key(release, npsn)
    school = release.schools.filter(pl.col("npsn") == npsn).row(0, named=True)
    averages = {**key, "status": "semua"}
    page = parse(client_for("sekolah").get(f"/sekolah/{npsn}/indikator/A.2/"))
    table = page.one("section", "comparisons").one("tbody")
    rows = [(tr.one("th").text, tr.find_all("td")[0].text) for tr in table.find_all("tr")]
    peer = release.peer(npsn, "A.2", **key)
    assert [value for _, value in rows] == [
        idn(release.row(npsn, "A.2", **key)["value"]),
        cell(peer["peer_value"]),
        cell(release.row(school["kabkota_code"], "A.2", **averages)["value"]),
        cell(release.row(school["provinsi_code"], "A.2", **averages)["value"]),
        cell(release.row("ID", "A.2", **averages)["value"]),
    ]
    labels = [label for label, _ in rows]
    assert labels[0] == "Satuan Pendidikan Anda"
    assert labels[1].startswith("Satuan Pendidikan Serupa")
    assert f"{grouped(peer['n_peers'])} satuan pendidikan" in labels[1]
    assert labels[2] == f"Rata-rata Kabupaten/Kota ({school['kabkota_name']})"
    assert labels[3] == f"Rata-rata Provinsi ({school['provinsi_name']})"
    assert labels[4] == "Rata-rata Nasional (Indonesia)"
    bentuk = load_catalogue().filters.bentuk_by_code(key["bentuk"]).name
    notes = [p.text for p in page.one("section", "comparisons").find_all("p", "note")]
    assert any(f"satuan pendidikan {bentuk} saja" in note for note in notes)


def test_a_dinas_reading_a_school_is_not_addressed_as_the_school(client_for, accounts):
    """The school's own account reads "Satuan Pendidikan Anda"; a dinas opening the same school
    reads "Satuan pendidikan ini" (it is not their school)."""
    npsn = accounts["sekolah"].npsn
    for role, heading, name in (
        (
            "sekolah",
            "Ringkasan Kualitas Pendidikan Satuan Pendidikan Anda",
            "Satuan Pendidikan Anda",
        ),
        ("kabkota", "Ringkasan Kualitas Pendidikan Satuan Pendidikan", "Satuan pendidikan ini"),
    ):
        client = client_for(role)
        page = parse(client.get(f"/sekolah/{npsn}/"))
        assert page.one("h2", "section-title").text == heading
        learning = page.one("section", "learning")
        assert {dt.text for dt in learning.find_all("dt")} == {name, "Satuan Pendidikan Serupa"}
        detail = parse(client.get(f"/sekolah/{npsn}/indikator/A.1/"))
        first = detail.one("section", "comparisons").one("tbody").find_all("tr")[0]
        assert first.one("th").text == name


def test_school_detail_ranks_it_in_its_kabkota_and_the_nation(client_for, accounts, release):
    """A school's indicator detail says where its value ranks among the schools of its jenjang
    that count in region values, in its kab/kota and in the nation."""
    npsn = accounts["sekolah"].npsn
    key = school_key(release, npsn)
    school = release.schools.filter(pl.col("npsn") == npsn).row(0, named=True)
    local, national = school_rank_texts(release, school, key["jenjang"], "A.1")
    assert local and national
    page = parse(client_for("sekolah").get(f"/sekolah/{npsn}/indikator/A.1/"))
    assert page.one("p", "ranks").text == (
        f"Peringkat di Kab./Kota: {local} · Peringkat secara Nasional: {national}"
    )


def test_school_detail_shows_the_schools_ability_distribution(client_for, accounts, release):
    """A school's literacy detail shows its own students' shares at each AKM level."""
    npsn = accounts["sekolah"].npsn
    key = school_key(release, npsn)
    levels = release.rows(release.ability, npsn, indicator="A.1", **key).sort("level")
    page = parse(client_for("sekolah").get(f"/sekolah/{npsn}/indikator/A.1/"))
    shares = [s.text for s in page.one("section", "ability").find_all("span", "ability-value")]
    assert shares == [idn(share, 1) + "%" for share in levels["share_pct"]]


def test_school_detail_shows_the_sub_indicators(client_for, accounts, release):
    """A school's literacy detail shows each sub-indicator's release value."""
    npsn = accounts["sekolah"].npsn
    key = school_key(release, npsn)
    page = parse(client_for("sekolah").get(f"/sekolah/{npsn}/indikator/A.1/"))
    cards = page.one("section", "subs-detail").find_all("article", "card")
    assert len(cards) == 5
    for card in cards:
        code = card.one("p", "meta").text.split(" ")[0]
        assert_card_matches(card, release.row(npsn, code, **key))


def test_withheld_school_value_says_data_tidak_mencukupi(client_for, release):
    """A school value withheld for too few respondents says "Data tidak mencukupi" with the
    reason, and shows no comparison with similar schools."""
    withheld = (
        release.values.filter(
            (pl.col("entity_type") == "sekolah")
            & (pl.col("indicator") == "A.1")
            & (pl.col("year") == LATEST)
            & pl.col("suppressed")
        )
        .sort("entity_code")
        .row(0, named=True)
    )
    npsn = withheld["entity_code"]
    page = parse(client_for("pusat").get(f"/sekolah/{npsn}/?jenjang={withheld['jenjang']}"))
    card = page.one("section", "learning").one("article", data_indicator="A.1")
    assert NOT_ENOUGH in card.text
    assert "responden kurang dari batas minimum" in card.text
    assert not card.find_all("span", "value") and not card.find_all("dl", "versus")


def test_school_with_several_levels_shows_the_chosen_level(client_for, release):
    """A school tested at several levels (SLB satu atap) offers each level, and `?jenjang=`
    shows that level's values."""
    multi = (
        release.values.filter((pl.col("entity_type") == "sekolah") & (pl.col("year") == LATEST))
        .group_by("entity_code")
        .agg(pl.col("jenjang").n_unique().alias("levels"))
        .filter(pl.col("levels") > 1)
        .sort("entity_code")
    )
    assert not multi.is_empty(), "the small release has schools with several levels"
    npsn = multi["entity_code"][0]
    client = client_for("pusat")
    # Offered in the catalogue's order (dasar before menengah_pertama), by their names.
    groups = load_catalogue().filters.jenjang
    tested = set(release.values.filter(pl.col("entity_code") == npsn)["jenjang"].to_list())
    levels = [group for group in groups if group.key in tested]
    for group in levels:
        level = group.key
        page = parse(client.get(f"/sekolah/{npsn}/?jenjang={level}"))
        nav = page.one("nav", "levels")
        assert [a.text for a in nav.find_all("a")] == [each.name.id for each in levels]
        assert nav.one("a", aria_current="true").text == group.name.id
        row = release.row(npsn, "A.3", **school_key(release, npsn, level))
        assert_card_matches(page.one("article", data_indicator="A.3"), row)


def test_a_school_opens_in_the_year_of_the_list_it_was_opened_from(client_for, accounts, release):
    """A region's school list of an earlier year links each school with that year, and the
    school's page shows that year's values (it showed the latest, another number than the list
    beside it); its links to its indicator pages keep the year, which also has a chooser. A
    year the release does not hold is a bad request."""
    npsn = accounts["sekolah"].npsn
    key = school_key(release, npsn)
    earlier = LATEST - 1
    client = client_for("kabkota")
    listed = detail(client, accounts["kabkota"].region_code, "A.1", year=earlier)
    links = [a.attrs["href"] for a in listed.one("table", "school-table").find_all("a")]
    school_links = [href for href in links if href.startswith("/sekolah/")]
    assert school_links and all(href.endswith(f"/?tahun={earlier}") for href in school_links)

    page = parse(client.get(f"/sekolah/{npsn}/?tahun={earlier}"))
    for code in ("A.1", "A.2", "A.3"):
        card = page.one("section", "learning").one("article", data_indicator=code)
        assert_card_matches(card, release.row(npsn, code, **{**key, "year": earlier}))
        more = [a.attrs["href"] for a in card.find_all("a") if "/indikator/" in a.attrs["href"]]
        assert more and all(f"tahun={earlier}" in href for href in more)
    chosen = page.one("form", "school-year").one("option", selected="")
    assert chosen.attrs["value"] == str(earlier)
    indicator_page = parse(client.get(f"/sekolah/{npsn}/indikator/A.1/?tahun={earlier}"))
    first = indicator_page.one("section", "comparisons").one("tbody").find_all("td")[0]
    assert first.text == idn(release.row(npsn, "A.1", **{**key, "year": earlier})["value"])
    assert client.get(f"/sekolah/{npsn}/?tahun=1999").status_code == 400
