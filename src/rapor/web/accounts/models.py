"""The account registry: belajar.id only proves an email; this table says who that is."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models.expressions import Col
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapor.web.accounts.regions import is_kabkota_code, is_provinsi_code


class Role(models.TextChoices):
    PUSAT = "pusat", _("Pusat (nasional)")
    PROVINSI = "provinsi", _("Dinas Pendidikan Provinsi")
    KABKOTA = "kabkota", _("Dinas Pendidikan Kabupaten/Kota")
    SEKOLAH = "sekolah", _("Satuan Pendidikan (kepala sekolah)")


class AccountManager(BaseUserManager):
    def create_user(self, email: str, **fields) -> Account:
        account = self.model(email=self.normalize_email(email).lower(), **fields)
        account.set_unusable_password()  # sign-in is belajar.id only
        account.full_clean()
        account.save(using=self._db)
        return account

    def create_superuser(self, email: str, **fields) -> Account:
        fields.setdefault("role", Role.PUSAT)
        return self.create_user(email, is_staff=True, is_superuser=True, **fields)

    def active(self, pk: int) -> Account | None:
        """The account `pk` if it is active, else None: what every signed-in request reads.

        One fixed query, its SQL and its columns' converters worked out once per database: the
        ORM's `get` builds them anew on every call (~0.3 ms), `raw` its columns (~0.09 ms), this
        ~0.03 ms, where a whole cached page costs ~1 ms (benchmarks/RESULTS.md). The row is
        converted as the ORM converts it (aware datetimes, booleans) and made with `from_db`."""
        connection = connections[self.db]
        sql, names, converters = _active_account_query(connection.alias)
        with connection.cursor() as cursor:
            cursor.execute(sql, [pk, True])
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row)
        for position, column, convert in converters:
            values[position] = convert(values[position], column, connection)
        return self.model.from_db(self.db, names, values)


@functools.cache
def _active_account_query(using: str) -> tuple[str, list[str], list[tuple[int, Col, Callable]]]:
    """The account read's SQL, its columns' attribute names and, per column that needs them,
    the ORM's converters on the database `using` (what its SQL compiler applies to each row).
    Made on the first thread's connection and used by all: the converters read the database's
    settings (its time zone), not the thread's connection."""
    connection = connections[using]
    meta = Account._meta
    quote = connection.ops.quote_name
    columns = [field.get_col(meta.db_table) for field in meta.concrete_fields]
    sql = (
        f"select {', '.join(quote(column.target.column) for column in columns)}"
        f" from {quote(meta.db_table)}"
        f" where {quote(meta.pk.column)} = %s and {quote(meta.get_field('is_active').column)} = %s"
    )
    converters = [
        (position, column, convert)
        for position, column in enumerate(columns)
        for convert in connection.ops.get_db_converters(column)
        + column.get_db_converters(connection)
    ]
    return sql, [field.attname for field in meta.concrete_fields], converters


class Account(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(
        _("email belajar.id"),
        unique=True,
        help_text=_("Alamat akun belajar.id, mis. kadis@dinas.belajar.id"),
    )
    name = models.CharField(
        _("nama"), max_length=200, help_text=_("Nama yang tampil di aplikasi, mis. Budi Santoso")
    )
    role = models.CharField(
        _("peran"),
        max_length=10,
        choices=Role.choices,
        help_text=_("Menentukan data yang boleh dilihat akun ini."),
    )
    region_code = models.CharField(
        _("kode wilayah"),
        max_length=5,
        blank=True,
        help_text=_("Kode BPS provinsi (mis. 34) atau kabupaten/kota (mis. 34.71)"),
    )
    npsn = models.CharField(
        _("NPSN"),
        max_length=8,
        blank=True,
        help_text=_("NPSN satuan pendidikan untuk peran sekolah, mis. 20403318"),
    )
    is_active = models.BooleanField(
        _("aktif"), default=True, help_text=_("Akun nonaktif tidak dapat masuk.")
    )
    is_staff = models.BooleanField(
        _("staf"), default=False, help_text=_("Boleh membuka halaman admin.")
    )
    date_joined = models.DateTimeField(_("terdaftar sejak"), default=timezone.now)

    objects = AccountManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ("name",)

    class Meta:
        ordering = ("email",)
        verbose_name = _("akun")
        verbose_name_plural = _("akun")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()
        errors = scope_errors(self.role, self.region_code, self.npsn)
        if errors:
            raise ValidationError(errors)

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


def scope_errors(role: str, region_code: str, npsn: str) -> dict[str, str]:
    """What is wrong with a role's scope fields (empty when they fit the role)."""
    if role == Role.PROVINSI and not is_provinsi_code(region_code):
        return {"region_code": _("Peran provinsi memerlukan kode provinsi yang ada, mis. 34.")}
    if role == Role.KABKOTA and not is_kabkota_code(region_code):
        return {
            "region_code": _("Peran kabkota memerlukan kode kabupaten/kota yang ada, mis. 34.71.")
        }
    if role == Role.SEKOLAH and not (len(npsn) == 8 and npsn.isdigit()):
        return {"npsn": _("Peran sekolah memerlukan NPSN 8 digit.")}
    if role in (Role.PUSAT, Role.SEKOLAH) and region_code:
        return {"region_code": _("Peran ini tidak memakai kode wilayah.")}
    if role != Role.SEKOLAH and npsn:
        return {"npsn": _("Hanya peran sekolah yang memakai NPSN.")}
    return {}
