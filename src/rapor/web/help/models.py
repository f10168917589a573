"""Pusat Bantuan: what staff publish without a deploy (FAQ entries, user guides, infographics,
video tutorials) and the tickets sent with "Hubungi Kami".

Every uploaded file is stored in a private storage (`RAPOR_UPLOADS_DIR`, outside the web root and
outside `MEDIA_ROOT`) and sent only by views that check the account: published content to anyone
signed in, a ticket's attachment to staff only. So an upload can never be opened by someone
signed out or run by the browser as part of the site.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from rapor.web.help.files import FileKind, RandomName

MAX_MESSAGE_LENGTH = 4000


class UploadStorage(FileSystemStorage):
    """Files under `settings.RAPOR_UPLOADS_DIR`, read when used (so tests can point it
    elsewhere); never given a URL."""

    @property
    def base_location(self):
        return settings.RAPOR_UPLOADS_DIR

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @cached_property
    def base_url(self):
        return None


_upload_storage = UploadStorage()


def upload_storage() -> UploadStorage:
    return _upload_storage


class Publishable(models.Model):
    """What staff publish in Pusat Bantuan shares a place in its list and whether people see it
    yet."""

    order = models.PositiveSmallIntegerField(
        _("urutan"),
        default=0,
        help_text=_("Yang angkanya lebih kecil tampil lebih dulu, mis. 1."),
    )
    is_published = models.BooleanField(
        _("tampilkan"),
        default=True,
        help_text=_("Hanya yang ditampilkan yang muncul, mis. matikan untuk draf."),
    )
    updated_at = models.DateTimeField(
        _("diperbarui"),
        auto_now=True,
        help_text=_("Diisi otomatis setiap kali disimpan, mis. 2 Maret 2025 09.30."),
    )

    class Meta:
        abstract = True


class FaqCategory(models.Model):
    name = models.CharField(
        _("nama"),
        max_length=200,
        unique=True,
        help_text=_("Judul kelompok pertanyaan di Pusat Bantuan, mis. Informasi Penting."),
    )
    order = models.PositiveSmallIntegerField(
        _("urutan"),
        default=0,
        help_text=_("Kategori dengan angka lebih kecil tampil lebih dulu, mis. 1."),
    )

    class Meta:
        ordering = ("order", "name")
        verbose_name = _("kategori FAQ")
        verbose_name_plural = _("kategori FAQ")

    def __str__(self) -> str:
        return self.name


class FaqEntry(Publishable):
    category = models.ForeignKey(
        FaqCategory,
        verbose_name=_("kategori"),
        on_delete=models.CASCADE,
        related_name="entries",
        help_text=_("Kelompok tempat pertanyaan ini tampil, mis. Informasi Penting."),
    )
    question = models.CharField(
        _("pertanyaan"),
        max_length=300,
        help_text=_("Pertanyaan seperti yang ditanyakan pengguna, mis. Apa itu Rapor Pendidikan?"),
    )
    answer = models.TextField(
        _("jawaban"),
        help_text=_(
            "Jawaban dalam bahasa Indonesia; baris kosong memisahkan paragraf, mis. Rapor "
            "Pendidikan adalah laporan hasil evaluasi layanan pendidikan."
        ),
    )

    class Meta:
        ordering = ("category__order", "category__name", "order", "pk")
        verbose_name = _("pertanyaan FAQ")
        verbose_name_plural = _("pertanyaan FAQ")

    def __str__(self) -> str:
        return self.question


class Topic(models.TextChoices):
    ACCOUNT = "akun", _("Akun dan akses")
    DATA = "data", _("Data dan indikator")
    DOWNLOAD = "unduhan", _("Unduhan")
    OTHER = "lainnya", _("Lainnya")


class Status(models.TextChoices):
    NEW = "baru", _("Baru")
    IN_PROGRESS = "diproses", _("Diproses")
    DONE = "selesai", _("Selesai")


class Ticket(models.Model):
    reference = models.CharField(
        _("nomor tiket"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Diberikan otomatis dari tahun dan nomor urut, mis. RP-2026-000123."),
    )
    name = models.CharField(
        _("nama"),
        max_length=200,
        help_text=_("Nama pengirim, mis. Kepala Dinas Kota Yogyakarta."),
    )
    email = models.EmailField(
        _("email"),
        help_text=_("Alamat tujuan nomor tiket dan balasan, mis. kadis@dinas.belajar.id."),
    )
    topic = models.CharField(
        _("topik"),
        max_length=20,
        choices=Topic.choices,
        help_text=_("Pokok pertanyaan, mis. Akun dan akses."),
    )
    message = models.TextField(
        _("pesan"),
        max_length=MAX_MESSAGE_LENGTH,
        help_text=_(
            "Pertanyaan atau masalah pengirim, paling panjang 4000 karakter, mis. Data APK "
            "kabupaten kami belum muncul."
        ),
    )
    attachment = models.FileField(
        _("lampiran"),
        storage=upload_storage,
        upload_to=RandomName("tiket"),
        validators=[
            FileKind((".pdf", ".png", ".jpg", ".jpeg"), gettext_noop("PDF, PNG atau JPEG"), 5)
        ],
        blank=True,
        help_text=_("PDF, PNG atau JPEG paling besar 5 MB, mis. tangkapan layar galat."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.NEW,
        help_text=_("Tahap penanganan oleh tim, mis. Diproses."),
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        help_text=_(
            "Akun yang mengirim tiket, mis. kadis@dinas.belajar.id; kosong bila akun sudah dihapus."
        ),
    )
    created_at = models.DateTimeField(
        _("dikirim"),
        auto_now_add=True,
        help_text=_("Diisi otomatis saat tiket dikirim, mis. 1 Maret 2025 10.00."),
    )
    updated_at = models.DateTimeField(
        _("diperbarui"),
        auto_now=True,
        help_text=_("Diisi otomatis setiap kali tiket disimpan, mis. 2 Maret 2025 09.30."),
    )

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("tiket")
        verbose_name_plural = _("tiket")

    def __str__(self) -> str:
        return self.reference or "—"

    def save(self, *args, **kwargs) -> None:
        # The reference comes from the primary key, which exists only after the first insert.
        super().save(*args, **kwargs)
        if not self.reference:
            year = timezone.localtime(self.created_at).year
            self.reference = f"RP-{year}-{self.pk:06d}"
            Ticket.objects.filter(pk=self.pk).update(reference=self.reference)


class TicketReply(models.Model):
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("tiket"),
        on_delete=models.CASCADE,
        related_name="replies",
        help_text=_("Tiket yang dibalas, mis. RP-2026-000123."),
    )
    message = models.TextField(
        _("balasan"),
        max_length=MAX_MESSAGE_LENGTH,
        help_text=_(
            "Dikirim lewat email ke pengirim tiket saat disimpan, mis. Data APK akan tersedia "
            "pada rilis berikutnya."
        ),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penulis"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ticket_replies",
        help_text=_("Staf yang menulis balasan, mis. admin@dinas.belajar.id."),
    )
    sent_at = models.DateTimeField(
        _("dikirim"),
        auto_now_add=True,
        help_text=_("Diisi otomatis saat balasan dikirim, mis. 3 Maret 2025 08.15."),
    )

    class Meta:
        ordering = ("sent_at", "pk")
        verbose_name = _("balasan")
        verbose_name_plural = _("balasan")

    def __str__(self) -> str:
        return f"{self.ticket} · {self.sent_at:%Y-%m-%d %H:%M}"


class PublishedContent(Publishable):
    """What the guides, infographics and videos share besides being published: a title and a
    short description."""

    title = models.CharField(
        _("judul"),
        max_length=200,
        help_text=_("Judul yang tampil di Pusat Bantuan, mis. Penggunaan Platform."),
    )
    description = models.TextField(
        _("keterangan"),
        blank=True,
        help_text=_(
            "Satu atau dua kalimat tentang isinya, mis. Langkah masuk dan membaca Beranda."
        ),
    )

    class Meta:
        abstract = True
        ordering = ("order", "title", "pk")

    def __str__(self) -> str:
        return self.title


class Guide(PublishedContent):
    """A PDF guide staff upload, listed under Panduan Pengguna after the generated user guide."""

    file = models.FileField(
        _("berkas PDF"),
        storage=upload_storage,
        upload_to=RandomName("panduan"),
        validators=[FileKind((".pdf",), gettext_noop("PDF"), 20)],
        help_text=_("Berkas PDF paling besar 20 MB, mis. panduan-dinas-kabupaten.pdf."),
    )

    class Meta(PublishedContent.Meta):
        verbose_name = _("panduan pengguna")
        verbose_name_plural = _("panduan pengguna")


class Infographic(PublishedContent):
    image = models.FileField(
        _("gambar"),
        storage=upload_storage,
        upload_to=RandomName("infografik"),
        validators=[FileKind((".png", ".jpg", ".jpeg"), gettext_noop("PNG atau JPEG"), 5)],
        help_text=_("Gambar PNG atau JPEG paling besar 5 MB, mis. alur-data.png."),
    )
    alt_text = models.CharField(
        _("teks alternatif"),
        max_length=1000,
        help_text=_(
            "Isi gambar dalam kata-kata untuk pembaca layar, mis. Alur data dari Dapodik, AN dan "
            "BPS menjadi Rapor Pendidikan."
        ),
    )

    class Meta(PublishedContent.Meta):
        verbose_name = _("infografik")
        verbose_name_plural = _("infografik")


class Video(PublishedContent):
    """A video tutorial: a file we host or a link elsewhere (exactly one), with captions or a
    transcript (at least one) so it can be followed without sound."""

    video_file = models.FileField(
        _("berkas video"),
        storage=upload_storage,
        upload_to=RandomName("video"),
        validators=[FileKind((".mp4", ".webm"), gettext_noop("MP4 atau WebM"), 200)],
        blank=True,
        help_text=_("Video MP4 atau WebM paling besar 200 MB, mis. cara-masuk.mp4."),
    )
    link = models.URLField(
        _("tautan video"),
        blank=True,
        help_text=_(
            "Alamat video di situs lain bila tidak diunggah, mis. https://www.youtube.com/…"
        ),
    )
    captions = models.FileField(
        _("takarir (WebVTT)"),
        storage=upload_storage,
        upload_to=RandomName("video"),
        validators=[FileKind((".vtt",), gettext_noop("WebVTT (.vtt)"), 1)],
        blank=True,
        help_text=_("Takarir bahasa Indonesia untuk video yang diunggah, mis. cara-masuk.vtt."),
    )
    transcript = models.TextField(
        _("transkrip"),
        blank=True,
        help_text=_("Semua yang diucapkan dan ditunjukkan di video, mis. Buka laman Rapor …"),
    )

    class Meta(PublishedContent.Meta):
        verbose_name = _("video tutorial")
        verbose_name_plural = _("video tutorial")

    def clean(self) -> None:
        if bool(self.video_file) == bool(self.link):
            raise ValidationError(_("Unggah berkas video atau isi tautan video, salah satu saja."))
        if self.captions and not self.video_file:
            raise ValidationError(
                {"captions": _("Takarir hanya dipakai untuk video yang diunggah.")}
            )
        if not (self.captions or self.transcript.strip()):
            raise ValidationError(
                _("Isi transkrip atau unggah takarir, agar video dapat diikuti tanpa suara.")
            )
