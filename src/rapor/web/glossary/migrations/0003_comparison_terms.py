"""Demo glossary terms for the comparisons the pages make: similar regions, the 95 % interval,
ranks and labels (users asked what they mean; docs/peer-groups.md, docs/uncertainty.md and
docs/release-format.md give the rules)."""

from django.db import migrations

DEMO_TERMS = [
    (
        "Kabupaten/Kota Serupa dan Provinsi Serupa",
        "Wilayah yang karakteristiknya mirip. Kabupaten/kota serupa: sama jenisnya (kabupaten "
        "atau kota), sama kelompok tingkat kemiskinannya secara nasional (sepertiga terendah, "
        "tengah, atau tertinggi, data BPS), dan sama status daerah 3T-nya. Provinsi serupa: "
        "sama kelompok tingkat kemiskinan dan sama kelompok persentase penduduk perkotaannya. "
        "Nilai “serupa” di laman indikator adalah rata-rata nilai wilayah-wilayah itu; tabel "
        "Perbandingan menyebutkan namanya (“Lihat daftarnya”).",
    ),
    (
        "Rentang 95%",
        "Nilai Asesmen Nasional berasal dari sampel peserta didik, jadi setiap nilai memiliki "
        "ketidakpastian. Rentang 95% adalah rentang nilai yang, dengan keyakinan 95%, memuat "
        "nilai yang akan diperoleh bila semua peserta didik ikut asesmen. Dua nilai yang "
        "selisihnya lebih kecil dari ketidakpastian itu disebut “tidak berbeda secara "
        "bermakna”.",
    ),
    (
        "Peringkat",
        "Posisi nilai suatu indikator di antara satuan pendidikan sejenjang di kabupaten/kota "
        "yang sama dan secara nasional, atau di antara kabupaten/kota di provinsi yang sama dan "
        "secara nasional: Atas (20% teratas), Menengah atas, Menengah, Menengah bawah, dan "
        "Bawah (20% terbawah), dengan urutannya, misalnya “Atas (3 dari 41)”. Peringkat tidak "
        "memperhitungkan ketidakpastian sampel.",
    ),
    (
        "Capaian",
        "Label nilai suatu indikator (misalnya Baik, Sedang, atau Kurang) menurut rentang "
        "nilainya. Rentang nilai setiap label ada di laman indikatornya, di bawah nilai.",
    ),
]


def create_terms(apps, schema_editor):
    Term = apps.get_model("glossary", "Term")
    for term, definition in DEMO_TERMS:
        Term.objects.update_or_create(term=term, defaults={"definition": definition})


def delete_terms(apps, schema_editor):
    Term = apps.get_model("glossary", "Term")
    Term.objects.filter(term__in=[term for term, _ in DEMO_TERMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("glossary", "0002_demo_terms")]

    operations = [migrations.RunPython(create_terms, delete_terms)]
