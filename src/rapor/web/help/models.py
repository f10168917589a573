"""Pusat Bantuan: FAQ entries staff edit without a deploy, and the tickets sent with "Hubungi Kami".

A ticket's attachment is stored in a private storage (`RAPOR_UPLOADS_DIR`, outside the web root
and outside `MEDIA_ROOT`): nothing serves it but a staff-only view, so an uploaded file can never
be opened by another account or run by the browser as part of the site.
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

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


def attachment_path(ticket: Ticket, filename: str) -> str:
    """A random name keeping only the (checked) extension: the sender's name is not trusted."""
    extension = os.path.splitext(filename)[1].lower()
    return f"tiket/{uuid.uuid4().hex}{extension}"


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


class FaqEntry(models.Model):
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
    order = models.PositiveSmallIntegerField(
        _("urutan"),
        default=0,
        help_text=_("Pertanyaan dengan angka lebih kecil tampil lebih dulu, mis. 1."),
    )
    is_published = models.BooleanField(
        _("tampilkan"),
        default=True,
        help_text=_("Hanya pertanyaan yang ditampilkan yang muncul, mis. matikan untuk draf."),
    )
    updated_at = models.DateTimeField(
        _("diperbarui"),
        auto_now=True,
        help_text=_("Diisi otomatis setiap kali pertanyaan disimpan, mis. 2 Maret 2025 09.30."),
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
        upload_to=attachment_path,
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
