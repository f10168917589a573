"""The school registry (Dapodik + EMIS snapshot): counts, location, status, names, SES."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from rapor.synth.geography import Country
from rapor.synth.rng import stream
from rapor.synth.writer import SCHEMAS

BENTUK = ("sd", "mi", "sdlb", "smp", "mts", "smplb", "sma", "ma", "smk", "smalb", "slb", "pkbm")
B = {name: index for index, name in enumerate(BENTUK)}
LABEL = ("SD", "MI", "SDLB", "SMP", "MTs", "SMPLB", "SMA", "MA", "SMK", "SMALB", "SLB", "PKBM")
MADRASAH = (B["mi"], B["mts"], B["ma"])

# National school counts (≈ Dapodik/EMIS 2023 shares), about 220,000 in all.
NATIONAL_COUNT = np.array(
    [110_000, 20_000, 300, 33_000, 15_000, 170, 11_500, 7_500, 12_500, 130, 1_700, 8_000]
)
# Share of negeri schools per bentuk (MI, MTs, MA and PKBM are mostly or wholly private).
P_NEGERI = np.array([0.88, 0.05, 0.40, 0.58, 0.10, 0.40, 0.50, 0.05, 0.25, 0.40, 0.30, 0.0])
# How much more schools of a bentuk a rural kab/kota has per person (many small rural SD;
# SMK and SLB cluster in towns).
RURAL_DENSITY = np.array([0.8, 0.5, -0.3, 0.4, 0.3, -0.3, 0.1, 0.2, -0.3, -0.3, -0.5, 0.2])
# Logit shift of the chance that a school of a bentuk stands in an urban village.
URBAN_SHIFT = np.array([-0.3, -0.3, 0.8, 0.0, -0.1, 0.8, 0.4, -0.1, 0.6, 0.8, 0.8, 0.0])
# School SES shift of swasta schools relative to negeri ones, by bentuk: private madrasah and
# PKBM serve poorer families (elite private SD/SMP/SMA in towns get a further bonus).
SES_SWASTA = np.array([0.1, -0.35, 0.0, 0.1, -0.35, 0.0, 0.1, -0.35, -0.2, 0.0, 0.0, -0.5])
P_SATU_ATAP = 0.85  # SLB that serve several levels; the rest are "tanpa jenjang"
SMALL_FRACTION = 0.5  # `small` keeps half the schools its two provinces have at national scale

FOUNDATIONS = (
    "Muhammadiyah",
    "Kristen",
    "Katolik Santo Yusup",
    "Islam Terpadu Al-Fikri",
    "PGRI",
    "Taman Siswa",
    "Bina Bangsa",
    "Tunas Harapan",
    "Nusantara",
    "Advent",
)
MADRASAH_FOUNDATIONS = (
    "Al-Hidayah",
    "Nurul Huda",
    "Al-Ikhlas",
    "Darul Ulum",
    "Miftahul Huda",
    "Nurul Iman",
    "Al-Falah",
    "Ma'arif NU",
    "Muhammadiyah",
    "Darussalam",
)
PKBM_FOUNDATIONS = (
    "Harapan Bangsa",
    "Bina Insani",
    "Cendekia",
    "Mandiri",
    "Tunas Harapan",
    "Citra Bangsa",
    "Mekar Sari",
    "Sekar Melati",
)
STREETS = (
    "Merdeka",
    "Jenderal Sudirman",
    "Diponegoro",
    "Ahmad Yani",
    "Gajah Mada",
    "Pahlawan",
    "Pemuda",
    "Kartini",
    "Veteran",
    "Imam Bonjol",
    "Hasanuddin",
    "Sisingamangaraja",
)
VILLAGES = (
    "Sukamaju",
    "Sumber Rejo",
    "Mekarsari",
    "Karang Anyar",
    "Sidomulyo",
    "Tanjung Harapan",
    "Sukadamai",
    "Suka Makmur",
    "Wonosari",
    "Batu Putih",
)
VALID_FROM = np.datetime64("2023-06-01")  # accreditations in the snapshot expire from here...
VALID_TO = np.datetime64("2029-12-31")  # ...to five years after the latest award


@dataclass(frozen=True)
class Schools:
    """The registry as aligned arrays (model inputs) plus the table written to Parquet."""

    kab: np.ndarray  # int32 index into the Country
    bentuk: np.ndarray  # int8 index into BENTUK
    satu_atap: np.ndarray  # bool, only meaningful for slb
    negeri: np.ndarray  # bool
    urban: np.ndarray  # bool
    ses: np.ndarray  # float32, standardised over the generated schools
    npsn: pa.Array  # string
    table: pa.Table

    def __len__(self) -> int:
        return len(self.kab)


def build_schools(country: Country, national: Country, seed: int, fraction: float) -> Schools:
    """Draw the registry for `country`, a subset of `national` keeping `fraction` of its schools."""
    rng = stream(seed, "schools")
    kab, bentuk = _allocate(country, national, rng, fraction)
    n = len(kab)
    negeri = rng.random(n) < P_NEGERI[bentuk]
    urban = rng.random(n) < _p_urban(country.urban_pct[kab], bentuk)
    satu_atap = (bentuk == B["slb"]) & (rng.random(n) < P_SATU_ATAP)
    ses = _ses(rng, country.wealth[kab], bentuk, negeri, urban, national)
    npsn = pc.cast(pa.array(_npsn(rng, n)), pa.string())
    table = _table(rng, country, kab, bentuk, satu_atap, negeri, urban, ses, npsn)
    return Schools(kab, bentuk, satu_atap, negeri, urban, ses, npsn, table)


def _allocate(
    country: Country, national: Country, rng: np.random.Generator, fraction: float
) -> tuple[np.ndarray, np.ndarray]:
    """School counts per kab/kota and bentuk, returned as one (kab, bentuk) pair per school."""
    # Expected counts are shares of the national totals, so a subset of the country gets the
    # same density as at national scale (times `fraction`).
    expected = _density(country) / _density(national).sum(axis=0) * NATIONAL_COUNT
    kab_parts, bentuk_parts = [], []
    for b in range(len(BENTUK)):
        total = max(1, round(fraction * expected[:, b].sum()))
        counts = rng.multinomial(total, expected[:, b] / expected[:, b].sum())
        kab_parts.append(np.repeat(np.arange(len(country), dtype=np.int32), counts))
        bentuk_parts.append(np.full(total, b, dtype=np.int8))
    kab, bentuk = np.concatenate(kab_parts), np.concatenate(bentuk_parts)
    order = np.lexsort((bentuk, kab))  # registry order: by kab/kota, then bentuk
    return kab[order], bentuk[order]


def _density(country: Country) -> np.ndarray:
    """Relative number of schools of each bentuk (columns) per kab/kota (rows)."""
    rural = 1 - country.urban_pct / 100
    weight = country.population[:, None] * (1 + RURAL_DENSITY[None, :] * rural[:, None])
    weight[:, list(MADRASAH)] *= country.madrasah[:, None]
    return weight


def _p_urban(urban_pct: np.ndarray, bentuk: np.ndarray) -> np.ndarray:
    share = np.clip(urban_pct / 100, 0.02, 0.98)
    logit = np.log(share / (1 - share)) + URBAN_SHIFT[bentuk]
    return 1 / (1 + np.exp(-logit))


SES_NOISE = 0.7


def _ses_parts(
    wealth: np.ndarray, bentuk: np.ndarray, negeri: np.ndarray, urban: np.ndarray
) -> np.ndarray:
    """Systematic part of the raw school SES: kab/kota wealth, urbanity and sector."""
    raw = 0.55 * wealth + 0.5 * urban + np.where(negeri, 0.0, SES_SWASTA[bentuk])
    # Private general schools in towns include the elite ones parents pay for.
    elite = ~negeri & urban & np.isin(bentuk, [B["sd"], B["smp"], B["sma"]])
    return raw + np.where(elite, 0.4, 0.0)


def _ses(
    rng: np.random.Generator,
    wealth: np.ndarray,
    bentuk: np.ndarray,
    negeri: np.ndarray,
    urban: np.ndarray,
    national: Country,
) -> np.ndarray:
    """School SES, standardised with the national mean and SD (so `small` is on that scale)."""
    raw = _ses_parts(wealth, bentuk, negeri, urban) + rng.normal(0, SES_NOISE, len(wealth))
    mean, sd = _national_ses_moments(national)
    return ((raw - mean) / sd).astype(np.float32)


def _national_ses_moments(national: Country) -> tuple[float, float]:
    """Mean and SD of the raw SES over the expected national registry (exact, no sampling)."""
    count = _density(national) / _density(national).sum(axis=0) * NATIONAL_COUNT
    kab, bentuk = np.indices(count.shape)
    p_urban = _p_urban(national.urban_pct[kab], bentuk)
    first = second = 0.0
    for urban in (False, True):
        for negeri in (False, True):
            p = (p_urban if urban else 1 - p_urban) * np.where(
                negeri, P_NEGERI[bentuk], 1 - P_NEGERI[bentuk]
            )
            is_negeri, is_urban = np.full(count.shape, negeri), np.full(count.shape, urban)
            value = _ses_parts(national.wealth[kab], bentuk, is_negeri, is_urban)
            first += np.sum(count * p * value)
            second += np.sum(count * p * value**2)
    total = count.sum()
    mean = first / total
    return float(mean), float(np.sqrt(second / total + SES_NOISE**2 - mean**2))


def _npsn(rng: np.random.Generator, n: int) -> np.ndarray:
    # Unique 8-digit numbers; 1xxxxxxx-6xxxxxxx are schools, 8x/9x are left for injected errors.
    return rng.choice(60_000_000, size=n, replace=False) + 10_000_000


def _table(
    rng: np.random.Generator,
    country: Country,
    kab: np.ndarray,
    bentuk: np.ndarray,
    satu_atap: np.ndarray,
    negeri: np.ndarray,
    urban: np.ndarray,
    ses: np.ndarray,
    npsn: pa.Array,
) -> pa.Table:
    kab_index = pa.array(kab)
    slb_kind = np.where(satu_atap, "satu_atap", "tanpa_jenjang")
    accreditation, valid_until = _accreditation(rng, ses, bentuk, negeri, urban)
    columns = {
        "npsn": npsn,
        "name": _names(rng, kab, bentuk, negeri, pa.array(country.name).take(kab_index)),
        "bentuk": pa.array(np.array(BENTUK)[bentuk]),
        "slb_kind": pa.array(slb_kind, mask=bentuk != B["slb"]),
        "status": pa.array(np.where(negeri, "negeri", "swasta")),
        "kabkota_code": pa.array(country.code).take(kab_index),
        "address": _addresses(rng, urban),
        "lokasi": pa.array(np.where(urban, "perkotaan", "perdesaan")),
        "accreditation": accreditation,
        "accreditation_valid_until": valid_until,
        "ses_index": pa.array(np.round(ses, 4).astype(np.float32)),
    }
    return pa.table(columns, schema=SCHEMAS["schools"])


def _names(
    rng: np.random.Generator,
    kab: np.ndarray,
    bentuk: np.ndarray,
    negeri: np.ndarray,
    kab_name: pa.Array,
) -> pa.Array:
    """`SD Negeri 3 Kabupaten Bandung`, `MI Swasta Al-Hidayah 2 Kota Bandung`, `PKBM Mandiri …`."""
    pick = rng.integers(0, 1_000_000, len(kab))
    madrasah = np.isin(bentuk, MADRASAH)
    pkbm = bentuk == B["pkbm"]
    foundation = np.where(
        pkbm,
        _pick(PKBM_FOUNDATIONS, pick),
        np.where(madrasah, _pick(MADRASAH_FOUNDATIONS, pick), _pick(FOUNDATIONS, pick)),
    )
    foundation = np.where(negeri, "", foundation)
    number, size = _running_number(kab, bentuk, negeri, foundation)
    sector = np.where(negeri, "Negeri", np.where(pkbm, "", "Swasta"))
    # Negeri schools are always numbered; a private foundation only when it has several.
    show_number = negeri | (size > 1)
    parts = [
        pa.array(np.array(LABEL)[bentuk]),
        pa.array(sector, mask=sector == ""),
        pa.array(foundation, mask=foundation == ""),
        pc.cast(pa.array(number, mask=~show_number), pa.string()),
        kab_name,
    ]
    return pc.binary_join_element_wise(*parts, " ", null_handling="skip")


def _pick(options: tuple[str, ...], pick: np.ndarray) -> np.ndarray:
    return np.array(options)[pick % len(options)]


def _running_number(*keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """1-based position of each row within its group of equal keys, and the group's size."""
    order = np.lexsort(keys[::-1])
    change = np.zeros(len(order), dtype=bool)
    change[:1] = True
    for key in keys:
        ordered = key[order]
        change[1:] |= ordered[1:] != ordered[:-1]
    group = np.cumsum(change) - 1
    starts = np.flatnonzero(change)
    sizes = np.diff(np.append(starts, len(order)))
    number = np.empty(len(order), dtype=np.int64)
    size = np.empty(len(order), dtype=np.int64)
    number[order] = np.arange(len(order)) - starts[group] + 1
    size[order] = sizes[group]
    return number, size


def _addresses(rng: np.random.Generator, urban: np.ndarray) -> pa.Array:
    """`Jl. Diponegoro No. 12` in towns, `Jl. Desa Sukamaju RT 002/RW 005` in villages."""
    n = len(urban)
    street = pa.array(_pick(STREETS, rng.integers(0, len(STREETS), n)))
    village = pa.array(_pick(VILLAGES, rng.integers(0, len(VILLAGES), n)))
    number = _text(rng.integers(1, 250, n))
    rt, rw = _text(rng.integers(1, 15, n), 3), _text(rng.integers(1, 10, n), 3)
    town = pc.binary_join_element_wise("Jl. ", street, " No. ", number, "")
    rural = pc.binary_join_element_wise("Jl. Desa ", village, " RT ", rt, "/RW ", rw, "")
    return pc.if_else(pa.array(urban), town, rural)


def _text(values: np.ndarray, width: int = 0) -> pa.Array:
    text = pc.cast(pa.array(values), pa.string())
    return pc.utf8_lpad(text, width=width, padding="0") if width else text


def _accreditation(
    rng: np.random.Generator,
    ses: np.ndarray,
    bentuk: np.ndarray,
    negeri: np.ndarray,
    urban: np.ndarray,
) -> tuple[pa.Array, pa.Array]:
    """A/B/C/TT from a latent quality (SES, town, sector); TT has no validity date."""
    n = len(ses)
    latent = 0.6 * ses + 0.4 * urban + 0.2 * negeri + rng.normal(0, 0.8, n)
    latent -= np.where(bentuk == B["pkbm"], 1.2, 0.0) + np.where(bentuk == B["slb"], 0.3, 0.0)
    grade = np.digitize(latent, [-1.45, -0.6, 0.6])  # 0 TT, 1 C, 2 B, 3 A
    letters = np.array(["TT", "C", "B", "A"])[grade]
    span = int((VALID_TO - VALID_FROM).astype(int))
    days = VALID_FROM.astype("datetime64[D]").astype(np.int32) + rng.integers(0, span + 1, n)
    valid = pa.array(days.astype(np.int32), pa.date32(), mask=grade == 0)
    return pa.array(letters), valid
