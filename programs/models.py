"""Programs (the tenant) and their reference data: regions, sectors, agencies, staff roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Program(models.Model):
    """One Kemala program: a government, its hashtag and its reference data. Every domain row belongs to one."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    hashtags = models.CharField(
        _("hashtags"), max_length=500, help_text=_("Comma-separated, with '#', e.g. #KemalaJateng")
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Jakarta")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return self.name

    @property
    def hashtag_list(self) -> list[str]:
        return [tag.strip() for tag in self.hashtags.split(",") if tag.strip()]

    @property
    def primary_hashtag(self) -> str:
        tags = self.hashtag_list
        return tags[0] if tags else ""


class RegionLevel(models.TextChoices):
    KABKOTA = "kabkota", _("Regency/city")
    KECAMATAN = "kecamatan", _("District")
    DESA = "desa", _("Village")


class Region(models.Model):
    """A kab/kota, kecamatan or desa/kelurahan, identified by its Kemendagri code (e.g. 33.74 = Kota Semarang)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="regions")
    code = models.CharField(_("Kemendagri code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=RegionLevel.choices)
    kind = models.CharField(_("kind"), max_length=20, help_text=_("kabupaten, kota, desa or kelurahan"))
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="programs_region_unique_program_code"),
        ]
        indexes = [models.Index(fields=["program", "level"], name="programs_region_level")]

    def __str__(self) -> str:
        return self.name

    @property
    def kabkota_code(self) -> str:
        return ".".join(self.code.split(".")[:2])


class Sector(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sectors")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    examples = models.TextField(_("examples"), blank=True)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="programs_sector_unique_program_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An office that answers citizens: a provincial OPD, a vertical agency, a company or a kab/kota government."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="agencies")
    code = models.SlugField(_("code"), max_length=60)
    short_name = models.CharField(_("short name"), max_length=100)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=40)
    responsibility = models.TextField(_("responsibility"), blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="programs_agency_unique_program_code"),
        ]

    def __str__(self) -> str:
        return self.short_name


class Role(models.TextChoices):
    ADMIN = "admin", _("Kemala admin")
    SUPERVISOR = "supervisor", _("Agency supervisor")
    OPERATOR = "operator", _("Agency operator")
    ANALYST = "analyst", _("Analyst")


class Membership(models.Model):
    """A staff member's role in a program; agency staff belong to exactly one agency."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="members")

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "program"], name="programs_membership_unique_user_program"),
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=["operator", "supervisor"], agency__isnull=False)
                    | models.Q(role__in=["admin", "analyst"], agency__isnull=True)
                ),
                name="programs_membership_agency_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    @property
    def is_agency_staff(self) -> bool:
        return self.role in (Role.OPERATOR, Role.SUPERVISOR)
