"""Children, their guardians and pick-up people, groups and classes, and enrolment history."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mamnon.calc import ages
from mamnon.calc.text import fold
from mamnon.children.ethnicity import ETHNIC_GROUPS, KINH
from mamnon.core import clock
from mamnon.core.models import ScopedModel, validate_vn_mobile
from mamnon.core.roles import SCHOOL_MANAGER_ROLES, SCHOOL_STAFF_ROLES, Role

PERSONAL_ID_RE = re.compile(r"^\d{12}$")


def validate_personal_id(value: str) -> None:
    """Mã định danh cá nhân: 12 digits (Luật Căn cước 2023; the first three are the province of birth)."""
    if value and not PERSONAL_ID_RE.match(value):
        raise ValidationError(_("The personal identification number must have exactly 12 digits."),
                              code="invalid_personal_id")


class AgeBand(models.TextChoices):
    C3_12 = ages.CRECHE_3_12, _("Creche 3-12 months")
    C13_24 = ages.CRECHE_13_24, _("Creche 13-24 months")
    C25_36 = ages.CRECHE_25_36, _("Creche 25-36 months")
    K3 = ages.KINDER_3, _("Kindergarten 3-4 years")
    K4 = ages.KINDER_4, _("Kindergarten 4-5 years")
    K5 = ages.KINDER_5, _("Kindergarten 5-6 years")
    MIXED_CRECHE = "mixed_creche", _("Mixed-age creche group")
    MIXED_KINDER = "mixed_kinder", _("Mixed-age kindergarten class")


CRECHE_BANDS = {AgeBand.C3_12, AgeBand.C13_24, AgeBand.C25_36, AgeBand.MIXED_CRECHE}


class Sex(models.TextChoices):
    MALE = "M", _("Boy")
    FEMALE = "F", _("Girl")


class ChildStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    TRANSFERRING = "transferring", _("Released for transfer")
    LEFT = "left", _("Left")
    FINISHED = "finished", _("Finished (to grade 1)")


class Child(ScopedModel):
    """A child's own record: it moves with the child when she changes school (``school`` is where it is kept)."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("school"))
    full_name = models.CharField(_("full name"), max_length=150)
    name_folded = models.CharField(max_length=150, editable=False, db_index=True)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNIC_GROUPS, default=KINH)
    personal_id = models.CharField(_("personal identification number"), max_length=12, null=True, blank=True,
                                   unique=True, validators=[validate_personal_id])
    address = models.CharField(_("home address"), max_length=300, blank=True)
    residence_commune = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="resident_children",
        verbose_name=_("commune of residence"),
    )
    photo = models.ImageField(_("photo"), upload_to="children/%Y/", blank=True)
    status = models.CharField(_("status"), max_length=15, choices=ChildStatus.choices, default=ChildStatus.ENROLLED)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "school__unit__path"
    scope_commune = "school__commune_id"
    scope_child = "id"
    scope_view_roles = None
    history = HistoricalRecords(excluded_fields=["name_folded"])

    class Meta:
        ordering = ["name_folded", "birth_date"]
        verbose_name = _("child")
        verbose_name_plural = _("children")
        indexes = [models.Index(fields=["school", "status"], name="children_school_status_idx")]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        if self.personal_id == "":
            self.personal_id = None
        super().save(*args, **kwargs)


class ChildSupport(ScopedModel):
    """Sensitive facts about a child: disability and the policy flags for support (Nghị định 105/2020).

    Kept apart from ``Child`` so that scoping can show it only to the school's managers, health staff,
    the child's teachers and parents (Thông tư 03/2018 on the confidentiality of disability information;
    Nghị định 13/2023 on sensitive personal data). Offices see counts only.
    """

    class DisabilityLevel(models.TextChoices):
        MILD = "mild", _("Mild")
        SEVERE = "severe", _("Severe")
        VERY_SEVERE = "very_severe", _("Very severe")

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="support", primary_key=True)
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    disability_type = models.CharField(_("type of disability"), max_length=100, blank=True)
    disability_level = models.CharField(_("level of disability"), max_length=15, choices=DisabilityLevel.choices,
                                        blank=True)
    poor_household = models.BooleanField(_("poor household"), default=False)
    near_poor_household = models.BooleanField(_("near-poor household"), default=False)
    ethnic_minority_disadvantaged = models.BooleanField(_("ethnic minority in a disadvantaged area"), default=False)
    orphan = models.BooleanField(_("orphan"), default=False)

    scope_path = "school__unit__path"
    scope_child = "child_id"
    scope_view_roles = SCHOOL_MANAGER_ROLES | {Role.HEALTH_STAFF, Role.TEACHER, Role.PARENT}
    scope_change_roles = SCHOOL_MANAGER_ROLES | {Role.HEALTH_STAFF}
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support information")
        verbose_name_plural = _("support information")
        # the few children with a disability, found without reading every child's row (indicators)
        indexes = [models.Index(fields=["school"], condition=~models.Q(disability_type=""),
                                name="children_support_disabled_idx")]

    @property
    def has_disability(self) -> bool:
        return bool(self.disability_type)


class Guardian(ScopedModel):
    """A parent or guardian; ``user`` is the parent's account for the portal."""

    class Relation(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        GRANDPARENT = "grandparent", _("Grandparent")
        OTHER = "other", _("Other guardian")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardians")
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(_("full name"), max_length=150)
    relation = models.CharField(_("relation"), max_length=15, choices=Relation.choices)
    phone = models.CharField(_("mobile phone"), max_length=15, blank=True, validators=[validate_vn_mobile],
                             db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="guardianships", verbose_name=_("portal account"))
    is_primary = models.BooleanField(_("primary contact"), default=False)
    pin_hash = models.CharField(max_length=128, blank=True, editable=False,
                                help_text="4-digit PIN to confirm a handover on the teacher's phone (hashed)")
    consent_at = models.DateTimeField(_("consent to data processing given"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)

    scope_path = "school__unit__path"
    scope_child = "child_id"
    scope_view_roles = SCHOOL_STAFF_ROLES | {Role.PARENT}
    history = HistoricalRecords(excluded_fields=["pin_hash"])

    class Meta:
        ordering = ["child_id", "-is_primary", "full_name"]
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")

    def __str__(self):
        return f"{self.full_name} ({self.get_relation_display()})"


class AuthorisedPickup(ScopedModel):
    """Someone other than a guardian allowed to collect the child, optionally for a period."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="pickups")
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(_("full name"), max_length=150)
    relation = models.CharField(_("relation"), max_length=60, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=15, blank=True, validators=[validate_vn_mobile])
    photo = models.ImageField(_("photo"), upload_to="pickups/%Y/", blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    scope_path = "school__unit__path"
    scope_child = "child_id"
    scope_view_roles = SCHOOL_STAFF_ROLES | {Role.PARENT}
    history = HistoricalRecords()

    class Meta:
        ordering = ["child_id", "full_name"]
        verbose_name = _("authorised pick-up person")
        verbose_name_plural = _("authorised pick-up people")

    def __str__(self):
        return self.full_name

    def valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class Group(ScopedModel):
    """A creche group (nhóm trẻ) or kindergarten class (lớp mẫu giáo) of one school year."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="groups",
                               verbose_name=_("school"))
    school_year = models.ForeignKey("org.SchoolYear", on_delete=models.PROTECT, related_name="groups",
                                    verbose_name=_("school year"))
    site = models.ForeignKey("org.Site", on_delete=models.SET_NULL, null=True, blank=True, related_name="groups",
                             verbose_name=_("site"))
    name = models.CharField(_("name"), max_length=60)
    age_band = models.CharField(_("age band"), max_length=15, choices=AgeBand.choices)
    full_day = models.BooleanField(_("full day (2 sessions)"), default=True)
    semi_boarding = models.BooleanField(_("semi-boarding (lunch at school)"), default=True)
    english = models.BooleanField(_("English familiarisation"), default=False)
    teachers = models.ManyToManyField("org.Staff", through="GroupTeacher", related_name="groups",
                                      verbose_name=_("teachers"))
    active = models.BooleanField(_("active"), default=True)

    scope_path = "school__unit__path"
    scope_commune = "school__commune_id"
    scope_group = "id"
    history = HistoricalRecords()

    class Meta:
        ordering = ["school_id", "school_year_id", "age_band", "name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "name"], name="children_group_name_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_creche(self) -> bool:
        return self.age_band in CRECHE_BANDS


class GroupTeacher(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="assignments")
    staff = models.ForeignKey("org.Staff", on_delete=models.CASCADE, related_name="group_assignments")
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    is_lead = models.BooleanField(_("lead teacher"), default=False)

    class Meta:
        verbose_name = _("teacher of a group")
        verbose_name_plural = _("teachers of groups")
        constraints = [models.UniqueConstraint(fields=["group", "staff"], name="children_group_teacher_unique")]

    def __str__(self):
        return f"{self.staff_id} @ {self.group_id}"


class Enrolment(ScopedModel):
    """A child's time in one group: admitted, moved, transferred, left, finished, promoted."""

    class Reason(models.TextChoices):
        ADMITTED = "admitted", _("Admitted")
        MOVED = "moved", _("Moved to another group")
        TRANSFERRED = "transferred", _("Transferred to another school")
        LEFT = "left", _("Left")
        FINISHED = "finished", _("Finished (to grade 1)")
        PROMOTED = "promoted", _("Promoted to next year's group")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="enrolments")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="enrolments")
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    start_reason = models.CharField(max_length=15, choices=Reason.choices, default=Reason.ADMITTED)
    end_reason = models.CharField(max_length=15, choices=Reason.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_path = "school__unit__path"
    scope_group = "group_id"
    scope_child = "child_id"
    history = HistoricalRecords()

    class Meta:
        ordering = ["child_id", "start_date"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            # At most one open enrolment per child.
            models.UniqueConstraint(fields=["child"], condition=models.Q(end_date__isnull=True),
                                    name="children_one_open_enrolment"),
        ]
        indexes = [models.Index(fields=["group", "end_date"], name="children_enrol_group_end_idx")]


class Transfer(ScopedModel):
    """A child released by one school for another; the receiving school sees the record once released."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="transfers")
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="transfers_out")
    to_school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="transfers_in")
    released_at = models.DateTimeField(default=clock.now, editable=False)  # the application clock (core.clock)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_path = "school__unit__path"
    scope_child = "child_id"
    scope_view_roles = SCHOOL_MANAGER_ROLES | {Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER}
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-released_at"]


class RuleOverride(ScopedModel):
    """A principal's recorded decision to keep a group above a configured limit (with the reason)."""

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, null=True, blank=True, related_name="overrides")
    rule_code = models.CharField(max_length=60)
    reason = models.CharField(_("reason"), max_length=500)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=clock.now, editable=False)  # the application clock (core.clock)

    scope_path = "school__unit__path"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rule override")
        verbose_name_plural = _("rule overrides")
        ordering = ["-decided_at"]
