"""Demo FAQ, in Indonesian: the guide's three "Informasi Penting" questions with its own answers
(Panduan Penggunaan Rapor Pendidikan untuk Dinas Pendidikan, sections V and the introduction),
and a few questions about signing in. Reversing it deletes only these entries."""

from django.db import migrations

DEMO_FAQ = [
    (
        "Informasi Penting",
        [
            (
                "Mengapa saya harus mengakses Rapor Pendidikan?",
                "Rapor Pendidikan dapat dijadikan sebagai:\n\n"
                "1. Referensi utama sebagai dasar analisis, perencanaan, dan tindak lanjut "
                "peningkatan kualitas pendidikan\n"
                "2. Sumber data yang objektif dan andal di mana laporan disajikan secara otomatis "
                "dan terintegrasi\n"
                "3. Instrumen pengukuran untuk evaluasi sistem pendidikan secara keseluruhan baik "
                "untuk evaluasi internal maupun eksternal\n"
                "4. Alat ukur yang berorientasi pada mutu dan pemerataan hasil belajar (output)\n"
                "5. Platform penyajian data yang terpusat, sehingga satuan pendidikan tidak perlu "
                "menggunakan beragam aplikasi sehingga diharapkan dapat meringankan beban "
                "administrasi",
            ),
            (
                "Apa perbedaan antara Rapor Pendidikan dengan Rapor Mutu?",
                "Rapor Mutu adalah instrumen penjaminan mutu internal berupa evaluasi diri "
                "sekolah, di mana indikatornya mengukur delapan (8) capaian standar nasional. "
                "Data Rapor Mutu bersumber dari Dapodik dan juga hasil pengisian (input) langsung "
                "oleh satuan pendidikan melalui aplikasi Rapor Mutu.\n\n"
                "Rapor Pendidikan adalah pengganti Rapor Mutu, di mana indikatornya disusun "
                "berdasarkan indikator input, proses, dan output pendidikan. Satuan pendidikan "
                "tidak melakukan pengisian data langsung ke dalam instrumen Rapor Pendidikan, "
                "melainkan data diambil dari sistem yang sudah ada, termasuk dari Dapodik, "
                "SIMPKB, AN, BPS, dan sumber lain yang relevan. Satuan pendidikan hanya "
                "dipersyaratkan memasukkan data di Dapodik dan mengikuti Asesmen Nasional.\n\n"
                "Berbeda dengan Rapor Mutu, Rapor Pendidikan akan digunakan sebagai acuan untuk "
                "seluruh bentuk evaluasi sistem pendidikan termasuk refleksi diri sekolah, "
                "refleksi diri daerah, akreditasi, dan standar pelayanan minimum.",
            ),
            (
                "Apa itu Rapor Pendidikan?",
                "Rapor Pendidikan adalah laporan hasil evaluasi layanan pendidikan sebagai "
                "penyempurnaan dari Rapor Mutu yang disusun oleh instrumen dan proses evaluasi "
                "yang berfokus pada hasil belajar peserta didik. Bersumber pada data yang lebih "
                "objektif, menjadikan Rapor Pendidikan sebagai acuan evaluasi mutu pendidikan, "
                "perencanaan berbasis data, dan tindak lanjut peningkatan kualitas pendidikan "
                "baik untuk satuan pendidikan kabupaten/kota, provinsi atau pusat.",
            ),
        ],
    ),
    (
        "Akun dan Akses",
        [
            (
                "Bagaimana cara masuk ke Rapor Pendidikan?",
                "Klik “Masuk dengan akun belajar.id” di halaman depan, lalu masukkan email Akun "
                "Pembelajaran (belajar.id) Anda dan kata sandinya di laman login Google. Dinas "
                "pendidikan menggunakan alamat dengan domain @dinas.belajar.id. Rapor Pendidikan "
                "hanya dapat diakses dengan akun belajar.id yang sudah aktif.",
            ),
            (
                "Mengapa saya tidak dapat masuk dengan akun belajar.id saya?",
                "Akun belajar.id Anda harus sudah aktif dan terdaftar sebagai pengguna Rapor "
                "Pendidikan. Halaman penolakan menjelaskan alasannya, misalnya email belum "
                "terdaftar atau akun tidak aktif. Hubungi admin Rapor Pendidikan di Dinas "
                "Pendidikan Anda untuk mendaftarkan atau mengaktifkan akun.",
            ),
            (
                "Data wilayah atau sekolah mana saja yang dapat saya lihat?",
                "Yang dapat Anda buka ditentukan oleh peran akun Anda: dinas provinsi melihat "
                "provinsinya beserta kabupaten/kota dan satuan pendidikan di dalamnya, dinas "
                "kabupaten/kota melihat wilayahnya dan satuan pendidikannya, dan kepala satuan "
                "pendidikan melihat satuan pendidikannya sendiri. Bila cakupan akun Anda keliru, "
                "hubungi admin Rapor Pendidikan di Dinas Pendidikan Anda atau isi formulir "
                "Hubungi Kami.",
            ),
        ],
    ),
]


def create_faq(apps, schema_editor):
    FaqCategory = apps.get_model("help", "FaqCategory")
    FaqEntry = apps.get_model("help", "FaqEntry")
    for category_order, (name, entries) in enumerate(DEMO_FAQ, start=1):
        category, _ = FaqCategory.objects.update_or_create(
            name=name, defaults={"order": category_order}
        )
        for order, (question, answer) in enumerate(entries, start=1):
            FaqEntry.objects.update_or_create(
                category=category, question=question, defaults={"answer": answer, "order": order}
            )


def delete_faq(apps, schema_editor):
    FaqCategory = apps.get_model("help", "FaqCategory")
    FaqEntry = apps.get_model("help", "FaqEntry")
    for name, entries in DEMO_FAQ:
        FaqEntry.objects.filter(
            category__name=name, question__in=[question for question, _ in entries]
        ).delete()
        FaqCategory.objects.filter(name=name, entries__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("help", "0001_initial")]

    operations = [migrations.RunPython(create_faq, delete_faq)]
