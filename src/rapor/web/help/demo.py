"""Demo content for Pusat Bantuan: the two infographics the guide shows ("Kegunaan Rapor
Pendidikan", "Penggunaan Platform"). Their images are rendered from the HTML beside them in
`demo/` (see demo/README.md); seeding stores them like a staff upload."""

from __future__ import annotations

from pathlib import Path

from django.core.files import File

from rapor.web.help.models import Infographic

DEMO_DIR = Path(__file__).parent / "demo"
DEMO_INFOGRAPHICS = (
    {
        "title": "Kegunaan Rapor Pendidikan",
        "image": "kegunaan-rapor-pendidikan.png",
        "description": "Lima alasan dinas dan satuan pendidikan mengakses Rapor Pendidikan.",
        "alt_text": (
            "Lima kegunaan Rapor Pendidikan: 1. referensi utama sebagai dasar analisis, "
            "perencanaan, dan tindak lanjut peningkatan kualitas pendidikan; 2. sumber data yang "
            "objektif dan andal, disajikan secara otomatis dan terintegrasi; 3. instrumen "
            "pengukuran untuk evaluasi sistem pendidikan, baik internal maupun eksternal; 4. alat "
            "ukur yang berorientasi pada mutu dan pemerataan hasil belajar; 5. platform data yang "
            "terpusat, sehingga beban administrasi satuan pendidikan lebih ringan."
        ),
    },
    {
        "title": "Penggunaan Platform",
        "image": "penggunaan-platform.png",
        "description": "Enam langkah membaca Rapor Pendidikan, dari masuk sampai mengunduh data.",
        "alt_text": (
            "Enam langkah membaca Rapor Pendidikan: 1. masuk dengan akun belajar.id; 2. pilih "
            "jenjang, bentuk, status satuan pendidikan, dan tahun di Beranda; 3. baca nilai, label "
            "capaian, dan perbandingan dengan wilayah serupa pada kartu indikator; 4. pilih "
            "Selengkapnya untuk sub-indikator dan daftar wilayah atau sekolah; 5. unduh data "
            "lengkap dalam Ms. Excel, diperbarui tanggal 1 setiap bulan; 6. minta bantuan lewat "
            "Glosarium, Pusat Bantuan, dan Beri Saran."
        ),
    },
)


def seed_demo_help() -> list[Infographic]:
    """The demo infographics, created once; one that exists (same title) stays as staff left it."""
    seeded = []
    for order, item in enumerate(DEMO_INFOGRAPHICS, start=1):
        infographic = Infographic.objects.filter(title=item["title"]).first()
        if infographic is None:
            infographic = Infographic(
                title=item["title"],
                description=item["description"],
                alt_text=item["alt_text"],
                order=order,
            )
            with (DEMO_DIR / item["image"]).open("rb") as image:
                infographic.image.save(item["image"], File(image), save=True)
        seeded.append(infographic)
    return seeded
