"""Demo glossary terms: the report's acronyms and terms, in Indonesian, after the guide
(Panduan Penggunaan Rapor Pendidikan untuk Dinas Pendidikan). Indicator terms (APK, APS, APM,
literacy, numeracy, …) are not here: the glossary reads them from the indicator catalogue."""

from django.db import migrations

DEMO_TERMS = [
    (
        "Asesmen Nasional (AN)",
        "Evaluasi mutu setiap sekolah, madrasah, dan program kesetaraan jenjang dasar dan "
        "menengah, yang terdiri atas Asesmen Kompetensi Minimum, Survei Karakter, dan Survei "
        "Lingkungan Belajar. Rapor Pendidikan adalah satu-satunya platform untuk melihat "
        "hasilnya.",
    ),
    (
        "Asesmen Kompetensi Minimum (AKM)",
        "Bagian Asesmen Nasional yang mengukur dua kompetensi mendasar peserta didik: literasi "
        "membaca dan numerasi. Hasilnya menjadi dasar indikator Kemampuan Literasi dan "
        "Kemampuan Numerasi.",
    ),
    (
        "Survei Karakter",
        "Bagian Asesmen Nasional yang mengukur sikap, kebiasaan, dan nilai-nilai peserta didik "
        "yang mencerminkan Profil Pelajar Pancasila. Hasilnya menjadi dasar Indeks Karakter.",
    ),
    (
        "Survei Lingkungan Belajar",
        "Bagian Asesmen Nasional yang diisi peserta didik, pendidik, dan kepala satuan "
        "pendidikan tentang kualitas pembelajaran dan iklim satuan pendidikan, seperti "
        "keamanan, kesetaraan gender, kebinekaan, dan inklusivitas.",
    ),
    (
        "Data Pokok Pendidikan (Dapodik)",
        "Sistem pendataan nasional yang diisi satuan pendidikan tentang peserta didik, pendidik "
        "dan tenaga kependidikan, serta sarana dan prasarana. Rapor Pendidikan mengambil data "
        "dari Dapodik, sehingga satuan pendidikan tidak mengisi data langsung ke Rapor "
        "Pendidikan.",
    ),
    (
        "Nomor Pokok Sekolah Nasional (NPSN)",
        "Kode delapan digit yang menjadi identitas unik setiap satuan pendidikan yang terdaftar "
        "secara nasional.",
    ),
    (
        "Pusat Kegiatan Belajar Masyarakat (PKBM)",
        "Satuan pendidikan nonformal yang menyelenggarakan program kesetaraan Paket A, Paket B, "
        "dan Paket C. Nilai kabupaten/kota, provinsi, dan nasional di Rapor Pendidikan belum "
        "memperhitungkan nilai dari PKBM.",
    ),
    (
        "Sekolah Luar Biasa (SLB)",
        "Satuan pendidikan khusus bagi peserta didik penyandang disabilitas; SLB satu atap "
        "menyelenggarakan beberapa jenjang (SDLB, SMPLB, SMALB) dalam satu satuan pendidikan, "
        "sedangkan SLB tanpa jenjang tidak membagi layanannya menurut jenjang. Nilai "
        "kabupaten/kota, provinsi, dan nasional belum memperhitungkan nilai dari SLB satu atap "
        "dan SLB tanpa jenjang.",
    ),
    (
        "Badan Pusat Statistik (BPS)",
        "Lembaga pemerintah penyedia data statistik resmi, antara lain jumlah penduduk menurut "
        "usia dan Survei Sosial Ekonomi Nasional (Susenas) yang dipakai untuk menghitung angka "
        "partisipasi. Kode wilayah provinsi dan kabupaten/kota di Rapor Pendidikan juga "
        "mengikuti kode BPS.",
    ),
    (
        "Rapor Mutu",
        "Laporan pemetaan mutu satuan pendidikan yang digunakan sebelum Rapor Pendidikan. Rapor "
        "Pendidikan adalah penyempurnaannya, dengan indikator input, proses, dan output yang "
        "berfokus pada hasil belajar peserta didik.",
    ),
    (
        "Rapor Pendidikan",
        "Laporan hasil evaluasi layanan pendidikan yang disusun dari data yang sudah ada, "
        "termasuk Dapodik, AN, dan BPS. Rapor Pendidikan menjadi acuan evaluasi mutu, "
        "perencanaan berbasis data, dan tindak lanjut peningkatan kualitas pendidikan.",
    ),
    (
        "Satuan Pendidikan",
        "Kelompok layanan pendidikan yang menyelenggarakan pendidikan pada jalur formal, "
        "nonformal, dan informal pada setiap jenjang dan jenis pendidikan, misalnya sekolah, "
        "madrasah, SLB, dan PKBM.",
    ),
    (
        "Satuan Pendidikan Serupa",
        "Sekolah umum, luar biasa, dan madrasah di Indonesia yang memiliki karakteristik "
        "lokasi dan sosial ekonomi peserta didik yang mirip dengan satuan pendidikan Anda. "
        "Nilainya menjadi pembanding bagi nilai satuan pendidikan Anda.",
    ),
    (
        "Jenjang",
        "Tahapan pendidikan menurut tingkat perkembangan peserta didik: pendidikan dasar (SD "
        "dan SMP sederajat) dan pendidikan menengah (SMA/SMK sederajat). Dasbor dapat disaring "
        "menurut jenjang atau jenis layanan: Dasar, Menengah Pertama, Menengah, dan Khusus.",
    ),
    (
        "Paket A, Paket B, dan Paket C",
        "Program pendidikan kesetaraan jalur nonformal yang setara dengan SD/MI (Paket A), "
        "SMP/MTs (Paket B), dan SMA/MA (Paket C), diselenggarakan antara lain oleh PKBM.",
    ),
    (
        "Negeri",
        "Status satuan pendidikan yang diselenggarakan oleh pemerintah pusat atau pemerintah "
        "daerah. Dasbor dapat disaring menurut status satuan pendidikan.",
    ),
    (
        "Swasta",
        "Status satuan pendidikan yang diselenggarakan oleh masyarakat, misalnya yayasan. "
        "Dasbor dapat disaring menurut status satuan pendidikan.",
    ),
    (
        "Kuantil status sosial ekonomi",
        "Pengelompokan rumah tangga menjadi lima kelompok sama besar menurut pengeluaran per "
        "kapita (Susenas), dari 20% termiskin (kuantil 1) sampai 20% terkaya (kuantil 5). Angka "
        "partisipasi disajikan per kuantil untuk melihat kesenjangan antarkelompok.",
    ),
    (
        "belajar.id (Akun Pembelajaran)",
        "Akun dari Kementerian untuk peserta didik, pendidik, satuan pendidikan, dan dinas "
        "pendidikan. Rapor Pendidikan hanya dapat diakses dengan akun belajar.id yang sudah "
        "aktif.",
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
    dependencies = [("glossary", "0001_initial")]

    operations = [migrations.RunPython(create_terms, delete_terms)]
