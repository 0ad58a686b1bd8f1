"""Health checks, illnesses and medicine given at school.

Health data is sensitive (Nghị định 13/2023/NĐ-CP on personal data: health is sensitive personal data): the
school's managers and health staff see the whole school, a teacher the children now in the groups she teaches,
parents their own children. Offices are left out of ``scope_view_roles`` on purpose: they read counts only
(``selectors_checks.check_counts``), never a child's record.

Periodic examinations twice a year: Thông tư liên tịch 13/2016/TTLT-BYT-BGDĐT (school health work) as practised
(regulations.md section 9: "periodic health check-ups 2 times per year", unverified).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mamnon.core.models import ScopedModel
from mamnon.core.roles import SCHOOL_MANAGER_ROLES, Role

__all__ = ["CHECK_AREAS", "HealthCheck", "Illness", "MedicineDose", "CHECK_READERS", "CHECK_WRITERS",
           "DAY_HEALTH_WRITERS"]

CHECK_READERS = SCHOOL_MANAGER_ROLES | {Role.HEALTH_STAFF, Role.TEACHER, Role.PARENT}
# Examinations are entered by the school's health staff and managers (the examiner is usually from outside).
CHECK_WRITERS = SCHOOL_MANAGER_ROLES | {Role.HEALTH_STAFF}
# Illness at school and medicine given: also the teacher who cares for the child that day.
DAY_HEALTH_WRITERS = SCHOOL_MANAGER_ROLES | {Role.HEALTH_STAFF, Role.TEACHER}

# Areas of a periodic examination, in the order of the paper form (field name, label).
CHECK_AREAS = (
    ("teeth", _("Teeth")),
    ("eyes", _("Eyes")),
    ("ent", _("Ear, nose and throat")),
    ("skin", _("Skin")),
    ("other", _("Other findings")),
)


class HealthCheck(ScopedModel):
    """A periodic health examination (khám sức khỏe định kỳ) of one child; a blank area means nothing found."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="health_checks")
    group = models.ForeignKey("children.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    date = models.DateField(_("date of the examination"))
    examiner = models.CharField(_("examiner"), max_length=150)
    teeth = models.CharField(_("teeth"), max_length=300, blank=True)
    eyes = models.CharField(_("eyes"), max_length=300, blank=True)
    ent = models.CharField(_("ear, nose and throat"), max_length=300, blank=True)
    skin = models.CharField(_("skin"), max_length=300, blank=True)
    other = models.CharField(_("other findings"), max_length=300, blank=True)
    referral = models.BooleanField(_("referred"), default=False)
    referral_to = models.CharField(_("referred to"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    scope_path = "school__unit__path"
    scope_child = "child_id"
    scope_view_roles = CHECK_READERS
    scope_change_roles = CHECK_WRITERS
    history = HistoricalRecords()

    class Meta:
        ordering = ["child_id", "-date"]
        verbose_name = _("health check")
        verbose_name_plural = _("health checks")
        indexes = [models.Index(fields=["school", "date"], name="health_check_school_date")]
        constraints = [models.UniqueConstraint(fields=["child", "date"], name="health_check_one_per_day")]

    def __str__(self):
        return f"{self.child_id} {self.date}"

    @property
    def findings(self) -> list[tuple[str, str]]:
        """(area label, finding) for the areas where something was found."""
        return [(label, getattr(self, name)) for name, label in CHECK_AREAS if getattr(self, name)]


class Illness(ScopedModel):
    """A child falling ill at school (ốm tại trường): what was seen, what was done, whether parents were told."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="illnesses")
    group = models.ForeignKey("children.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    noticed_at = models.DateTimeField(_("noticed at"))
    symptoms = models.CharField(_("symptoms"), max_length=300)
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True)
    care = models.CharField(_("care given"), max_length=300, blank=True)
    parents_informed = models.BooleanField(_("parents informed"), default=False)
    sent_home = models.BooleanField(_("sent home"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    scope_path = "school__unit__path"
    scope_child = "child_id"
    scope_view_roles = CHECK_READERS
    scope_change_roles = DAY_HEALTH_WRITERS
    history = HistoricalRecords()

    class Meta:
        ordering = ["-noticed_at"]
        verbose_name = _("illness at school")
        verbose_name_plural = _("illnesses at school")
        indexes = [models.Index(fields=["school", "noticed_at"], name="health_illness_school_time")]

    def __str__(self):
        return f"{self.child_id} {self.noticed_at:%Y-%m-%d}"


class MedicineDose(ScopedModel):
    """Medicine given at school. Normally at the parents' request recorded at drop-off (``handover``, the
    day's ``attendance.Handover`` with its medicine, dose and time); without one, ``note`` says who agreed."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="medicine_doses")
    group = models.ForeignKey("children.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    handover = models.ForeignKey("attendance.Handover", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="medicine_doses", verbose_name=_("parents' request at drop-off"))
    illness = models.ForeignKey(Illness, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="medicine_doses", verbose_name=_("illness"))
    given_at = models.DateTimeField(_("given at"))
    medicine = models.CharField(_("medicine"), max_length=200)
    dose = models.CharField(_("dose"), max_length=100)
    note = models.CharField(_("note"), max_length=300, blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")

    scope_path = "school__unit__path"
    scope_child = "child_id"
    scope_view_roles = CHECK_READERS
    scope_change_roles = DAY_HEALTH_WRITERS
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("medicine given at school")
        verbose_name_plural = _("medicine given at school")
        indexes = [models.Index(fields=["school", "given_at"], name="health_dose_school_time")]

    def __str__(self):
        return f"{self.child_id} {self.medicine} {self.given_at:%Y-%m-%d %H:%M}"
