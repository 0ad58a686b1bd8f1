"""The organisation tree (levels are data), schools and their sites, staff, memberships, school years."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mamnon.core.models import ScopedModel, validate_vn_mobile
from mamnon.core.roles import OFFICER_ROLES, SCHOOL_STAFF_ROLES, Role


class OrgLevel(models.Model):
    """A level of the administration: ministry, province, district, commune, school...

    Levels are rows, not code: since 1 July 2025 Vietnam has no district level (Nghị quyết
    202/2025/QH15 and the two-tier local government), and the tree must hold both shapes.
    """

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=80)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("0 at the top; a child ranks higher"))
    is_school = models.BooleanField(_("school level"), default=False)
    officer_role = models.CharField(_("officer role"), max_length=30, choices=Role.choices, blank=True)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("organisation level")
        verbose_name_plural = _("organisation levels")

    def __str__(self):
        return self.name


class OrgUnit(ScopedModel):
    """A node of the tree: the ministry, a province department, a district office, a commune, a school.

    ``path`` is the chain of ids from the root, each followed by '/', so "this unit and everything
    below" is ``path__startswith=unit.path`` on one indexed column.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.ForeignKey(OrgLevel, on_delete=models.PROTECT, related_name="units", verbose_name=_("level"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent unit"),
    )
    path = models.CharField(max_length=255, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    active = models.BooleanField(_("active"), default=True)
    valid_from = models.DateField(_("valid from"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from",
        verbose_name=_("merged into"),
    )

    scope_path = "path"
    scope_commune = "school__commune_id"
    scope_change_roles = OFFICER_ROLES | {Role.PRINCIPAL, Role.VICE_PRINCIPAL}
    history = HistoricalRecords()

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%' in any collation.
            models.Index(fields=["path"], name="org_unit_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["parent", "name"], name="org_unit_parent_name_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_school(self) -> bool:
        return self.level.is_school


class OrgUnitVersion(models.Model):
    """What a unit was called and where it sat between two dates (business time, for yearly reports).

    simple-history keeps who changed what when (system time); this table answers "in school year
    2023-2024, which district was this commune in, and what was it called".
    """

    class Change(models.TextChoices):
        CREATED = "created", _("created")
        RENAMED = "renamed", _("renamed")
        MOVED = "moved", _("moved")
        MERGED = "merged", _("merged into another unit")
        RECODED = "recoded", _("code changed")

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="versions")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    level = models.ForeignKey(OrgLevel, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, related_name="+")
    path = models.CharField(max_length=255)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text=_("last day, inclusive"))
    change = models.CharField(max_length=20, choices=Change.choices)
    note = models.CharField(max_length=300, blank=True)

    scope_path = "unit__path"

    class Meta:
        verbose_name = _("unit version")
        verbose_name_plural = _("unit versions")
        ordering = ["unit_id", "valid_from"]
        indexes = [models.Index(fields=["unit", "valid_from"], name="org_version_unit_from_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="org_version_dates_ordered",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.valid_from:%d/%m/%Y}–{self.valid_to:%d/%m/%Y})" if self.valid_to else (
            f"{self.name} ({self.valid_from:%d/%m/%Y}–)"
        )


class School(ScopedModel):
    """A preschool or an independent group: the school-level extension of one OrgUnit.

    Its primary key is the unit's id, so a school-level record's ``school_id`` is also a unit id (and
    the column by which the data can be distributed on Citus).
    """

    class Ownership(models.TextChoices):
        PUBLIC = "public", _("Public")
        PEOPLE_FOUNDED = "people_founded", _("People-founded")
        PRIVATE = "private", _("Private")

    class Kind(models.TextChoices):
        SCHOOL = "school", _("Preschool")
        KINDERGARTEN = "kindergarten", _("Kindergarten")
        CRECHE = "creche", _("Creche")
        INDEPENDENT_GROUP = "independent_group", _("Independent group")

    unit = models.OneToOneField(
        OrgUnit, on_delete=models.CASCADE, primary_key=True, related_name="school", verbose_name=_("unit")
    )
    ownership = models.CharField(_("ownership"), max_length=20, choices=Ownership.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SCHOOL)
    commune = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="schools_located",
        verbose_name=_("commune"), help_text=_("the commune or ward the school stands in"),
    )
    disadvantaged_area = models.BooleanField(_("in a disadvantaged area"), default=False)
    licence_number = models.CharField(_("licence number"), max_length=60, blank=True)
    licence_date = models.DateField(_("licence date"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)

    scope_path = "unit__path"
    scope_commune = "commune_id"
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__path"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def __str__(self):
        return self.unit.name

    @property
    def school_id(self) -> int:
        return self.pk

    def clean(self):
        if self.unit_id and not self.unit.level.is_school:
            raise ValidationError({"unit": _("A school must extend a unit at school level.")})


class Site(ScopedModel):
    """A site (điểm trường) of a school. Thông tư 13/2020 Điều 5: at most 5 sites, 8 in disadvantaged areas."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="sites", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_main = models.BooleanField(_("main site"), default=False)

    scope_path = "school__unit__path"
    scope_commune = "school__commune_id"
    history = HistoricalRecords()

    class Meta:
        ordering = ["school_id", "-is_main", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self):
        return self.name


class Staff(ScopedModel):
    """A person employed at a unit (school or office); the staff issue adds the HR details."""

    class Position(models.TextChoices):
        PRINCIPAL = "principal", _("Principal")
        VICE_PRINCIPAL = "vice_principal", _("Vice-principal")
        TEACHER = "teacher", _("Teacher")
        NURSE = "nurse", _("Nurse / health staff")
        COOK = "cook", _("Cook")
        ACCOUNTANT = "accountant", _("Accountant")
        CLERK = "clerk", _("Clerk")
        SECURITY = "security", _("Security")
        OFFICER = "officer", _("Education officer")
        OTHER = "other", _("Other")

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="staff", verbose_name=_("unit"))
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=30, choices=Position.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=15, blank=True, validators=[validate_vn_mobile])
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="staff_record", verbose_name=_("account"),
    )
    active = models.BooleanField(_("active"), default=True)

    scope_path = "unit__path"
    scope_commune = "unit__school__commune_id"
    scope_view_roles = OFFICER_ROLES | SCHOOL_STAFF_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit_id", "full_name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        indexes = [models.Index(fields=["unit", "active"], name="org_staff_unit_active_idx")]

    def __str__(self):
        return self.full_name


class Membership(ScopedModel):
    """A role a user holds at a unit. All access follows from these rows (core/scoping.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "unit__path"
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit_id", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="org_membership_unique")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class SchoolYear(models.Model):
    """A school year, '2023-2024'. Dates are configurable; 05/09 to 31/05 by default."""

    code = models.CharField(_("code"), max_length=9, unique=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    is_current = models.BooleanField(_("current"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("school year")
        verbose_name_plural = _("school years")

    def __str__(self):
        return self.code

    def clean(self):
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The end date must come after the start date.")})


class Term(models.Model):
    """A semester of a school year: HK1 or HK2 (period strings '2023-2024/HK1')."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="terms")
    code = models.CharField(_("code"), max_length=3, choices=[("HK1", _("Semester 1")), ("HK2", _("Semester 2"))])
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("semester")
        verbose_name_plural = _("semesters")
        ordering = ["school_year", "code"]
        constraints = [models.UniqueConstraint(fields=["school_year", "code"], name="org_term_unique")]

    def __str__(self):
        return f"{self.school_year.code}/{self.code}"

    @property
    def period(self) -> str:
        return f"{self.school_year.code}/{self.code}"
