"""Cari: a dinas account finds the regions and schools of its scope by name, code or NPSN and
opens them; nothing outside its scope is found, and a school account has no such page."""

from __future__ import annotations

import polars as pl

from tests.web.test_beranda import parse


def results(page) -> list[tuple[str, str]]:
    """The found places: (link, name) in order."""
    found = page.find_all("ul", "find-results")
    return [(a.attrs["href"], a.text) for a in found[0].find_all("a")] if found else []


def test_a_kabkota_finds_its_school_by_words_of_its_name(client_for, accounts, built):
    """Words of the name in any case and order, with its number: that school comes first."""
    code = accounts["kabkota"].region_code
    schools = built.table("schools").filter(pl.col("kabkota_code") == code)
    school = schools.sort("npsn").row(0, named=True)
    words = school["school_name"].split()
    number = next(i for i, word in enumerate(words) if word.isdigit())
    typed = " ".join([words[-1].lower(), *words[: number + 1]])  # e.g. "progo SD Negeri 7"
    page = parse(client_for("kabkota").get("/cari/", {"q": typed}))
    assert results(page)[0] == (f"/sekolah/{school['npsn']}/", school["school_name"])
    assert all(href.startswith("/sekolah/") for href, _ in results(page))
    by_npsn = parse(client_for("kabkota").get("/cari/", {"q": school["npsn"]}))
    assert results(by_npsn) == [(f"/sekolah/{school['npsn']}/", school["school_name"])]


def test_sdn_finds_sd_negeri_as_people_write_it(client_for, accounts, built):
    """ "SDN 7" (how people write it) finds SD Negeri 7 first, and "smps" SMP Swasta schools."""
    code = accounts["kabkota"].region_code
    schools = built.table("schools").filter(pl.col("kabkota_code") == code)
    school = schools.filter(pl.col("school_name").str.starts_with("SD Negeri ")).row(0, named=True)
    number = school["school_name"].split()[2]
    client = client_for("kabkota")
    found = results(parse(client.get("/cari/", {"q": f"SDN {number}"})))
    assert found[0] == (f"/sekolah/{school['npsn']}/", school["school_name"])
    private = results(parse(client.get("/cari/", {"q": "smps"})))
    assert private and all(name.startswith("SMP Swasta ") for _, name in private)


def test_a_province_finds_its_kabkota_and_a_kabkota_not_its_neighbour(client_for, accounts, data):
    province = accounts["provinsi"].region_code
    neighbour = next(
        child for child in data.children(province) if child.code != accounts["kabkota"].region_code
    )
    found = parse(client_for("provinsi").get("/cari/", {"q": neighbour.name}))
    assert results(found)[0] == (f"/wilayah/{neighbour.code}/", neighbour.name)
    nothing = parse(client_for("kabkota").get("/cari/", {"q": neighbour.name}))
    assert results(nothing) == []
    assert "Tidak ada wilayah atau satuan pendidikan di wilayah Anda yang cocok." in nothing.text


def test_too_short_a_search_asks_for_more(client_for):
    page = parse(client_for("pusat").get("/cari/", {"q": "a"}))
    assert results(page) == []
    assert "Ketik paling sedikit dua huruf atau angka." in page.text


def test_beranda_offers_the_search_and_a_school_account_has_none(client_for, accounts):
    code = accounts["provinsi"].region_code
    form = parse(client_for("provinsi").get(f"/wilayah/{code}/")).one("form", "find-form")
    assert (form.attrs["action"], form.attrs["method"]) == ("/cari/", "get")
    assert client_for("sekolah").get("/cari/", {"q": "negeri"}).status_code == 404
