"""Health and growth: measurement rounds and measurements (weights, heights, WHO z-scores, statuses).

Measurements are health data: a teacher sees her groups' children, a parent their own child, the school's
managers and health staff the whole school, offices the figures (counts and shares, never a child's row:
``scope_view_roles``). The z-scores and statuses are stored with the row, computed in bulk by
``mamnon.calc.growth.zscores`` when measurements are saved, so that round statistics are SQL aggregates.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mamnon.core.models import ScopedModel
from mamnon.core.roles import SCHOOL_MANAGER_ROLES, Role

HEALTH_READERS = SCHOOL_MANAGER_ROLES | {Role.HEALTH_STAFF, Role.TEACHER, Role.PARENT}
HEALTH_WRITERS = SCHOOL_MANAGER_ROLES | {Role.HEALTH_STAFF, Role.TEACHER}


class MeasurementRound(ScopedModel):
    """A weighing and measuring round (đợt cân đo) set by an office for every school below it, or by a school.

    Seed 002: results to the district before 20/9, 20/12 and 20/3. ``number`` orders the rounds of a school
    year; the first round is the baseline the changes are measured against.
    """

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="measurement_rounds")
    school_year = models.ForeignKey("org.SchoolYear", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("round number"))
    name = models.CharField(_("name"), max_length=100)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    deadline = models.DateField(_("results due"))

    scope_path = "unit__path"
    history = HistoricalRecords()

    class Meta:
        ordering = ["school_year_id", "number"]
        verbose_name = _("measurement round")
        verbose_name_plural = _("measurement rounds")
        constraints = [
            models.UniqueConstraint(fields=["unit", "school_year", "number"], name="health_round_unique"),
        ]

    def __str__(self):
        return f"{self.name} ({self.school_year})"


class Status(models.IntegerChoices):
    """Nutrition status on one axis (``mamnon.calc.nutrition_status`` codes)."""

    NOT_ASSESSED = 0, _("not assessed")
    NORMAL = 1, _("normal")
    MODERATE = 2, _("moderate")
    SEVERE = 3, _("severe")
    OVERWEIGHT = 4, _("overweight")
    OBESE = 5, _("obese")


class Measurement(ScopedModel):
    """One weighing and measuring of one child on one day, with its WHO scores and statuses.

    ``age_days`` is the completed days from birth to ``date``. Scores are NaN-free: a score the engine does
    not define is NULL. ``round`` is empty for a measurement outside the rounds (monthly for under-2s).
    """

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="measurements")
    group = models.ForeignKey("children.Group", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="measurements")
    round = models.ForeignKey(MeasurementRound, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="measurements")
    date = models.DateField(_("date measured"))
    age_days = models.PositiveIntegerField(_("age in days"))
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=5, decimal_places=2, null=True, blank=True)
    height_cm = models.DecimalField(_("height (cm)"), max_digits=5, decimal_places=1, null=True, blank=True)
    measured_lying = models.BooleanField(_("measured lying down"), null=True, blank=True)
    oedema = models.BooleanField(_("oedema"), default=False)
    waz = models.FloatField(null=True, blank=True)
    haz = models.FloatField(null=True, blank=True)
    whz = models.FloatField(null=True, blank=True)
    baz = models.FloatField(null=True, blank=True)
    flags = models.CharField(max_length=20, blank=True, help_text="implausible scores, e.g. 'waz,whz'")
    # Statuses per axis (weight-for-age, length/height-for-age, weight-for-height or from 60 months BMI-for-age),
    # classified with the cut-offs in force (Rule rows nutrition.*) when the row was saved.
    wfa_status = models.PositiveSmallIntegerField(_("weight-for-age"), choices=Status.choices,
                                                  default=Status.NOT_ASSESSED)
    hfa_status = models.PositiveSmallIntegerField(_("height-for-age"), choices=Status.choices,
                                                  default=Status.NOT_ASSESSED)
    wfh_status = models.PositiveSmallIntegerField(_("weight-for-height / BMI"), choices=Status.choices,
                                                  default=Status.NOT_ASSESSED)
    note = models.CharField(_("note"), max_length=200, blank=True)
    measured_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    scope_path = "school__unit__path"
    scope_group = "group_id"
    scope_child = "child_id"
    scope_view_roles = HEALTH_READERS
    scope_change_roles = HEALTH_WRITERS
    history = HistoricalRecords()

    class Meta:
        ordering = ["child_id", "date"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        indexes = [
            models.Index(fields=["school", "round"], name="health_meas_school_round"),
            models.Index(fields=["round", "group"], name="health_meas_round_group"),
            models.Index(fields=["child", "date"], name="health_meas_child_date"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["child", "date"], name="health_measurement_one_per_day"),
            models.UniqueConstraint(fields=["child", "round"], condition=models.Q(round__isnull=False),
                                    name="health_measurement_one_per_round"),
        ]

    def __str__(self):
        return f"{self.child_id} {self.date}"

    @property
    def uses_bmi(self) -> bool:
        """From 60.0 months (WHO 2007 reference) the third axis is BMI-for-age, not weight-for-height."""
        return self.age_days / 30.4375 >= 60


from mamnon.health.models_checks import *  # noqa: E402,F401,F403  health checks live in their own module
