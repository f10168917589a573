"""Comparison groups a dinas user builds: saved with a name from regions and schools of their
scope, shown against a region or school with every indicator's mean and interval, computed from
the release. Expected means are worked out here with polars from the release's Parquet files:
each member school's value once, the compared region's own schools left out."""

from __future__ import annotations

import math

import polars as pl
import pytest

from rapor.catalogue import load_catalogue
from rapor.web.groups.models import ComparisonGroup
from tests.web.test_beranda import LATEST, Node, Release, idn, parse
from tests.web.test_uncertainty import DASH, Z, verdict


@pytest.fixture(scope="module")
def release(built) -> Release:
    return Release(built)


def province_kabkota(release: Release, province: str) -> list[str]:
    """The kab/kota of a province that have schools, by code."""
    schools = release.schools.filter(pl.col("provinsi_code") == province)
    return sorted(schools["kabkota_code"].unique().to_list())


def save(client, name: str, members: list[str], bentuk: str = "", status: str = "semua"):
    return client.post(
        "/kelompok/",
        {"name": name, "members": "\n".join(members), "bentuk": bentuk, "status": status},
    )


def group_rows(page: Node) -> dict[str, list[str]]:
    body = page.one("section", "group-comparison").one("tbody")
    return {
        tr.attrs["data-indicator"]: [td.text for td in tr.find_all("td")]
        for tr in body.find_all("tr")
    }


def expected_mean(release, kabkota: list[str], jenjang: str, indicator: str, excluded: str):
    """The mean of the member kab/kota's counted school values, and its standard error."""
    bentuk = load_catalogue().filters.jenjang_group(jenjang).bentuk
    members = release.schools.filter(
        pl.col("kabkota_code").is_in(kabkota)
        & (pl.col("kabkota_code") != excluded)
        & pl.col("counts_in_region_values")
    )["npsn"]
    rows = release.values.filter(
        (pl.col("entity_type") == "sekolah")
        & pl.col("entity_code").is_in(members)
        & pl.col("bentuk").is_in(bentuk)
        & (pl.col("indicator") == indicator)
        & (pl.col("year") == LATEST)
        & ~pl.col("suppressed")
    )
    errors = rows["std_error"].to_list()
    std_error = None if None in errors else math.sqrt(sum(e * e for e in errors)) / rows.height
    return rows["value"].mean(), std_error, rows.height


def test_province_compares_a_kabkota_with_a_group_of_its_neighbours(client_for, accounts, release):
    """A province saves a group of its kab/kota and compares one of them with it: every
    indicator's group mean (its own schools left out), interval, schools, and the verdict."""
    province = accounts["provinsi"].region_code
    kabkota = province_kabkota(release, province)
    assert len(kabkota) >= 3
    client = client_for("provinsi")
    response = save(client, "Tetangga", kabkota[:3])
    assert response.status_code == 302
    group = ComparisonGroup.objects.get(owner=accounts["provinsi"], name="Tetangga")
    assert response["Location"] == f"/kelompok/{group.pk}/"
    subject = kabkota[0]
    page = parse(client.get(f"/kelompok/{group.pk}/?subjek={subject}&jenjang=dasar"))
    rows = group_rows(page)
    assert "A.1" in rows and "D.3" in rows and "APK-SD" not in rows
    for indicator, cells in rows.items():
        mean, std_error, n = expected_mean(release, kabkota[:3], "dasar", indicator, subject)
        own = release.row(subject, indicator)
        shown_group = f"{idn(mean)}"
        if std_error is not None:
            low, high = max(mean - Z * std_error, 0), min(mean + Z * std_error, 100)
            shown_group += f" ({idn(low)}{DASH}{idn(high)})"
        assert cells[1] == f"{shown_group} {n} satuan pendidikan", indicator
        variance = None if std_error is None else own["std_error"] ** 2 + std_error**2
        assert cells[2] == verdict(own["value"], mean, variance), indicator


def test_a_group_without_subject_shows_its_means(client_for, accounts, release):
    """A kab/kota groups three of its schools: the page lists them and the group's mean."""
    code = accounts["kabkota"].region_code
    schools = (
        release.schools.filter((pl.col("kabkota_code") == code) & (pl.col("bentuk") == "sd"))
        .sort("npsn")["npsn"][:3]
        .to_list()
    )
    client = client_for("kabkota")
    group_url = save(client, "Tiga SD", schools)["Location"]
    page = parse(client.get(group_url))
    members = [li.text for li in page.one("ul", "group-members").find_all("li")]
    assert len(members) == 3
    assert all(npsn in text for npsn, text in zip(schools, members, strict=True))
    values = release.values.filter(
        pl.col("entity_code").is_in(schools)
        & (pl.col("indicator") == "A.3")
        & (pl.col("year") == LATEST)
        & ~pl.col("suppressed")
    )["value"]
    assert group_rows(page)["A.3"][0].startswith(idn(values.mean()))


def test_the_subject_field_suggests_the_regions_of_the_scope(client_for, accounts, release, data):
    """The "Dibandingkan dengan" field suggests a province account's province and its kab/kota
    by name as the user types (a datalist), so nobody needs to know their codes."""
    province = accounts["provinsi"].region_code
    client = client_for("provinsi")
    url = save(client, "Saran", province_kabkota(release, province)[:2])["Location"]
    page = parse(client.get(url))
    assert page.one("input", name="subjek").attrs["list"] == "subject-choices"
    options = page.one("datalist", id="subject-choices").find_all("option")
    regions = [data.region(province), *data.children(province)]
    assert [(o.attrs["value"], o.text) for o in options] == [(r.code, r.name) for r in regions]


def test_the_form_has_no_empty_alert(client_for, accounts, release):
    """Screen readers announce an alert region as soon as the page loads: neither the empty form
    nor one whose only error is on a field (members outside the scope) has an alert for errors
    of the whole form, and the field's error is shown once."""
    client = client_for("kabkota")
    assert parse(client.get("/kelompok/")).find_all(role="alert") == []
    refused = parse(save(client, "Curang", ["99.99"]))
    assert refused.find_all(role="alert") == []
    assert len(refused.find_all("p", "field-error")) == 1


def test_members_outside_the_scope_are_refused(client_for, accounts, release):
    """A kab/kota cannot put another kab/kota (or an unknown code) into a group; nothing is
    saved and the form says which codes, the same words for both."""
    province = accounts["provinsi"].region_code
    own = accounts["kabkota"].region_code
    other = next(code for code in province_kabkota(release, province) if code != own)
    response = save(client_for("kabkota"), "Curang", [other, "99.99"])
    assert response.status_code == 200
    error = parse(response).one("p", "field-error").text
    assert other in error and "99.99" in error and "di luar wilayah Anda" in error
    assert not ComparisonGroup.objects.filter(name="Curang").exists()


def test_groups_are_private_and_for_dinas_only(client_for, accounts, release):
    """Another account's group is a 404 (to see or to delete), so is the whole feature for a
    school account."""
    province = accounts["provinsi"].region_code
    kabkota = province_kabkota(release, province)
    url = save(client_for("provinsi"), "Milik provinsi", kabkota[:2])["Location"]
    assert client_for("pusat").get(url).status_code == 404
    assert client_for("pusat").post(url + "hapus/").status_code == 404
    assert ComparisonGroup.objects.filter(name="Milik provinsi").exists()
    assert client_for("sekolah").get("/kelompok/").status_code == 404


def test_detail_pages_link_to_groups_only_where_groups_compare(client_for, accounts):
    """A learning indicator's detail links to the comparison groups; a participation rate's
    (about a population, which groups do not compare) does not."""
    code = accounts["provinsi"].region_code
    client = client_for("provinsi")
    for indicator, links in (("A.1", ["/kelompok/"]), ("APK-SD", [])):
        page = parse(client.get(f"/wilayah/{code}/indikator/{indicator}/"))
        assert [
            a.attrs["href"] for p in page.find_all("p", "group-link") for a in p.find_all("a")
        ] == links


def test_a_subject_the_account_cannot_compare_is_a_field_error(client_for, accounts, release):
    """A mistyped code, another province's kab/kota or the nation: the page stays, with the
    group's values alone and the typed code kept beside one message for all three (it tells
    nothing of what lies outside the scope)."""
    province = accounts["provinsi"].region_code
    client = client_for("provinsi")
    url = save(client, "Dua", province_kabkota(release, province)[:2])["Location"]
    alone = group_rows(parse(client.get(url)))
    for code in ("34.99", "11.01", "ID"):
        response = client.get(url, {"subjek": code})
        assert response.status_code == 200
        page = parse(response)
        field = page.one("input", name="subjek")
        assert field.attrs["value"] == code and field.attrs["aria-invalid"] == "true"
        error = page.one("span", "field-error")
        assert error.attrs["id"] == field.attrs["aria-describedby"]
        assert error.text == (
            f"Tidak ada wilayah atau satuan pendidikan dengan kode {code} yang dapat Anda "
            "bandingkan."
        )
        assert page.one("h2", id="group-table-heading").text == "Nilai kelompok"
        assert group_rows(page) == alone


def test_bad_jenjang_is_a_bad_request(client_for, accounts, release):
    province = accounts["provinsi"].region_code
    client = client_for("provinsi")
    url = save(client, "Dua", province_kabkota(release, province)[:2])["Location"]
    assert client.get(url + "?jenjang=kuliah").status_code == 400


def test_a_group_is_deleted_after_a_question(client_for, accounts, release):
    """ "Hapus" asks first, naming the group, and deletes nothing until the answer is sent."""
    province = accounts["provinsi"].region_code
    client = client_for("provinsi")
    url = save(client, "Sementara", province_kabkota(release, province)[:2])["Location"]
    listed = parse(client.get("/kelompok/")).one("ul", "group-list")
    assert [a.attrs["href"] for a in listed.find_all("a") if "Hapus" in a.text] == [url + "hapus/"]
    question = parse(client.get(url + "hapus/"))
    assert "Sementara" in question.one("h1").text
    assert question.one("form", action=url + "hapus/").attrs["method"] == "post"
    assert client.get(url).status_code == 200  # asking deleted nothing
    assert client.post(url + "hapus/").status_code == 302
    assert client.get(url).status_code == 404


# ------------------------------------------------------------------ finding members by name


def expected_matches(release: Release, kabkota: str, text: str) -> list[str]:
    """The NPSN of a kab/kota's schools whose name holds every word of `text` in any case, as
    the search must list them (no region of the kab/kota is named like a school): those holding
    more of the words as whole words first, then by name."""
    words = text.lower().split()
    names = pl.col("school_name").str.to_lowercase()
    condition = pl.col("kabkota_code") == kabkota
    for word in words:
        condition &= names.str.contains(word, literal=True)
    whole = pl.sum_horizontal(
        (" " + names + " ").str.contains(f" {word} ", literal=True).cast(pl.Int32) for word in words
    )
    found = release.schools.filter(condition).with_columns(fewer=-whole)
    return found.sort("fewer", "school_name", "npsn")["npsn"].to_list()


def candidates(page: Node) -> list[tuple[str, bool]]:
    """The search results of a page or fragment: (code, ticked) in order."""
    return [
        (box.attrs["value"], "checked" in box.attrs)
        for box in page.find_all("input", name="tambah")
    ]


def test_search_finds_schools_of_the_scope_by_words_of_their_name(client_for, accounts, release):
    """A kab/kota types words of a school's name in any case and order: its own schools that hold
    all of them are listed by name, with their NPSN; an NPSN's first digits find it too."""
    code = accounts["kabkota"].region_code
    own = release.schools.filter(pl.col("kabkota_code") == code).sort("npsn").row(0, named=True)
    number = own["school_name"].split()[-1]
    text = f"{own['school_name'].split()[0].upper()}  {number.lower()}"
    expected = expected_matches(release, code, text)
    assert own["npsn"] in expected
    client = client_for("kabkota")
    found = parse(client.get("/kelompok/cari/", {"cari": text}))
    assert candidates(found) == [(npsn, False) for npsn in expected[:20]]
    # A school's name up to its number ("SD Negeri 7"), as typed to find it, where a name with a
    # longer number comes first by name ("SD Negeri 17"): the school itself comes first.
    kabkota_schools = release.schools.filter(pl.col("kabkota_code") == code)
    for school in kabkota_schools.sort("npsn").iter_rows(named=True):
        prefix = school["school_name"].rsplit(" Kab", 1)[0].rsplit(" Kota", 1)[0]
        words = prefix.lower().split()
        by_name = kabkota_schools.filter(
            pl.all_horizontal(
                pl.col("school_name").str.to_lowercase().str.contains(w, literal=True)
                for w in words
            )
        ).sort("school_name", "npsn")
        if by_name["npsn"][0] != school["npsn"]:
            break
    else:
        pytest.fail("no school whose number is part of a longer one")
    found = candidates(parse(client.get("/kelompok/cari/", {"cari": prefix})))
    assert found[0] == (school["npsn"], False)
    assert [npsn for npsn, _ in found] == expected_matches(release, code, prefix)[:20]
    by_npsn = parse(client.get("/kelompok/cari/", {"cari": own["npsn"][:7]}))
    assert (own["npsn"], False) in candidates(by_npsn)
    assert own["school_name"] in by_npsn.text


def test_search_finds_regions_by_name_within_the_scope(client_for, accounts, release, data):
    """A province finds its own kab/kota by name; the same words find nothing for a kab/kota
    account of another one, and a wildcard typed is only a character."""
    province = accounts["provinsi"].region_code
    sibling = next(
        child for child in data.children(province) if child.code != accounts["kabkota"].region_code
    )
    word = sibling.name.split()[-1]
    found = parse(client_for("provinsi").get("/kelompok/cari/", {"cari": word}))
    assert candidates(found)[0] == (sibling.code, False)
    assert sibling.code not in [
        code
        for code, _ in candidates(
            parse(client_for("kabkota").get("/kelompok/cari/", {"cari": word}))
        )
    ]
    wildcard = parse(client_for("pusat").get("/kelompok/cari/", {"cari": "%%"}))
    assert candidates(wildcard) == []


def test_search_without_javascript_keeps_the_form_and_adds_the_ticked(client_for, accounts):
    """The form's Cari button (no JavaScript) saves nothing: the form comes back as typed, the
    ticked schools among its members and the new matches below; saving then keeps the ticked
    ones of the last results too."""
    code = accounts["kabkota"].region_code
    client = client_for("kabkota")
    schools = [code for code, _ in candidates(parse(client.get("/kelompok/cari/?cari=SD")))]
    assert len(schools) >= 3
    form = {"name": "Pilihan", "members": code, "bentuk": "", "status": "semua"}
    page = parse(
        client.post("/kelompok/", {**form, "aksi": "cari", "cari": "SD", "tambah": schools[0]})
    )
    assert not ComparisonGroup.objects.filter(name="Pilihan").exists()
    assert page.one("input", name="name").attrs["value"] == "Pilihan"
    assert page.one("textarea", name="members").text.split() == [code, schools[0]]
    assert page.one("input", name="cari").attrs["value"] == "SD"
    assert (schools[1], False) in candidates(page)
    members = page.one("textarea", name="members").text
    saved = client.post("/kelompok/", {**form, "members": members, "tambah": schools[1]})
    assert saved.status_code == 302
    group = ComparisonGroup.objects.get(owner=accounts["kabkota"], name="Pilihan")
    assert group.member_codes == [code, schools[0], schools[1]]


def test_results_keep_the_ticked_ones_while_typing(client_for, accounts):
    """While the user types (htmx asks for the results again), the schools ticked before stay
    ticked above the new matches; a ticked code outside the scope is dropped."""
    client = client_for("kabkota")
    first = [code for code, _ in candidates(parse(client.get("/kelompok/cari/?cari=SD")))]
    fragment = parse(client.get("/kelompok/cari/", {"cari": "SMP", "tambah": [first[0], "11.01"]}))
    shown = candidates(fragment)
    assert shown[0] == (first[0], True)
    assert "11.01" not in [code for code, _ in shown]
    assert all(not ticked for _, ticked in shown[1:]) and len(shown) > 1


def test_searching_does_not_count_against_the_limit_of_saves(client_for, accounts, settings):
    """Saving a group is rate-limited; searching saves nothing and is not counted."""
    settings.RAPOR_FORM_RATE = "2/h"
    code = accounts["kabkota"].region_code
    client = client_for("kabkota")
    form = {"members": code, "bentuk": "", "status": "semua"}
    for _ in range(4):
        assert client.post("/kelompok/", {**form, "aksi": "cari", "cari": "SD"}).status_code == 200
    assert client.post("/kelompok/", {**form, "name": "Satu"}).status_code == 302
    assert client.post("/kelompok/", {**form, "name": "Dua"}).status_code == 302
    assert client.post("/kelompok/", {**form, "name": "Tiga"}).status_code == 429


def test_a_region_holding_every_member_says_why_nothing_is_compared(client_for, accounts, release):
    """A kab/kota's group can hold only its own schools, and comparing the kab/kota with it
    would leave no school in the group: the page says so instead of a table of "Data tidak
    mencukupi", and suggests the group's schools as what to compare."""
    code = accounts["kabkota"].region_code
    schools = (
        release.schools.filter(pl.col("kabkota_code") == code).sort("npsn")["npsn"][:3].to_list()
    )
    client = client_for("kabkota")
    form = parse(client.get("/kelompok/"))
    assert "Kabupaten tetangga" not in form.one("form", "stacked-form").text
    url = save(client, "Tiga sekolah", schools)["Location"]
    page = parse(client.get(f"{url}?subjek={code}"))
    section = page.one("section", "group-comparison")
    assert section.find_all("table") == []
    assert "tidak ada yang tersisa untuk dibandingkan" in section.one("p", role="status").text
    suggested = [o.attrs["value"] for o in page.one("datalist").find_all("option")]
    assert suggested == [code, *schools]
    against_school = parse(client.get(f"{url}?subjek={schools[0]}"))
    assert against_school.one("section", "group-comparison").find_all("table")
