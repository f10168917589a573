"""Files people upload to Pusat Bantuan: recognised by their first bytes (never by the name or
the type the browser claims), stored under a random name in the private upload storage, and sent
back only through views that check the account (`file_response`)."""

from __future__ import annotations

import logging
import os
import uuid
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)
HEAD_BYTES = 12
# What a file's first bytes must look like → the extensions it may be named with.
SIGNATURES = (
    (lambda head: head.startswith(b"%PDF-"), (".pdf",)),
    (lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"), (".png",)),
    (lambda head: head.startswith(b"\xff\xd8\xff"), (".jpg", ".jpeg")),
    (lambda head: head[4:8] == b"ftyp", (".mp4",)),
    (lambda head: head.startswith(b"\x1a\x45\xdf\xa3"), (".webm",)),
    (lambda head: head.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT"), (".vtt",)),
)
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".vtt": "text/vtt; charset=utf-8",
}
# Pusat Bantuan content changes rarely; the browser may keep it, but never a shared cache.
MAX_AGE_SECONDS = 3600


def extension(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def sniffed_extensions(upload) -> tuple[str, ...]:
    """The extensions the file's first bytes allow (empty for any other kind of file)."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return next((names for matches, names in SIGNATURES if matches(head)), ())


@deconstructible
class RandomName:
    """`upload_to` for a folder of the upload storage: a random name keeping only the (checked)
    extension, because the sender's file name is not trusted."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        return f"{self.folder}/{uuid.uuid4().hex}{extension(filename)}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder


@deconstructible
class FileKind:
    """A model-field validator: the file is one of `extensions` by its content, and at most
    `max_megabytes` large. `kinds` names them for people, e.g. "PNG atau JPEG"."""

    def __init__(self, extensions: tuple[str, ...], kinds: str, max_megabytes: int) -> None:
        self.extensions = tuple(extensions)
        self.kinds = kinds
        self.max_megabytes = max_megabytes

    def __call__(self, upload) -> None:
        if upload.size > self.max_megabytes * 1024 * 1024:
            raise ValidationError(
                _("Berkas paling besar %(max)d MB."),
                code="too_large",
                params={"max": self.max_megabytes},
            )
        name = extension(upload.name)
        if name not in self.extensions or name not in sniffed_extensions(upload):
            raise ValidationError(
                _("Berkas harus %(kinds)s yang isinya sesuai dengan namanya."),
                code="bad_type",
                params={"kinds": self.kinds},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FileKind) and (
            other.extensions,
            other.kinds,
            other.max_megabytes,
        ) == (self.extensions, self.kinds, self.max_megabytes)


def file_response(file: BinaryIO, name: str, download_name: str | None = None) -> FileResponse:
    """An open file, typed by the extension of `name`: a download called `download_name` when
    given, otherwise shown in the browser. `nosniff` keeps the browser from treating it as
    anything else."""
    response = FileResponse(
        file,
        content_type=CONTENT_TYPES.get(extension(name), "application/octet-stream"),
        as_attachment=download_name is not None,
        filename=download_name or "",
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, max_age=MAX_AGE_SECONDS)
    return response


def stored_file_response(file: FieldFile, download_name: str | None = None) -> FileResponse:
    """A file of the upload storage; none, or one gone from the disk, is a 404."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        logger.warning("stored file %s is missing", file.name)
        raise Http404 from None
    return file_response(handle, file.name, download_name)
