"""Models of the targets and indicators domain.

``Indicator`` is the catalogue (rows loaded from ``catalogue.py``); ``Target`` is a unit's chỉ tiêu for a
period; ``DeclaredValue`` a unit's own figure with its evidence, reviewed by the unit above;
``IndicatorValue`` the stored value of (unit, indicator, period), computed by summing numerators and
denominators up the tree; ``RefreshMark`` says which school years have changed since their last refresh.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import formats
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mamnon.calc import indicators as calc
from mamnon.core.models import ScopedModel
from mamnon.core.roles import OFFICER_ROLES, SCHOOL_MANAGER_ROLES
from mamnon.indicators import catalogue as cat


class Indicator(models.Model):
    """One indicator (chỉ số) of the catalogue: what it measures and how, and where it comes from.

    Its texts are kept in Vietnamese and English (``*_vi``, ``*_en``); ``name``, ``definition``, ``numerator``,
    ``denominator``, ``covers`` and ``seeds`` give the one of the active language.
    """

    class Kind(models.TextChoices):
        COMPUTED = cat.COMPUTED, _("Computed from records")
        CENSUS = cat.CENSUS, _("From the commune census")
        DECLARED = cat.DECLARED, _("Declared by the unit")
        RULE = cat.RULE, _("Rule checked per record")

    class Measure(models.TextChoices):
        RATIO = cat.RATIO, _("Ratio")
        COUNT = cat.COUNT, _("Count")
        MEAN = cat.MEAN, _("Mean")

    class Section(models.TextChoices):
        ACCESS = cat.S_ACCESS, _("Access and network")
        FACILITIES = cat.S_FACILITIES, _("Facilities and equipment")
        QUALITY = cat.S_QUALITY, _("Quality assurance and safety")
        CARE = cat.S_CARE, _("Care and nutrition")
        EDUCATION = cat.S_EDUCATION, _("Education")
        STAFF = cat.S_STAFF, _("Staff")
        COMMUNITY = cat.S_COMMUNITY, _("Community and communication")

    class TrackedBy(models.TextChoices):
        MONTH = cat.MONTH, _("Month")
        ROUND = cat.ROUND, _("Measurement round")
        YEAR = cat.YEAR, _("School year")

    code = models.CharField(_("code"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices)
    factor = models.DecimalField(_("factor"), max_digits=8, decimal_places=2, default=Decimal(100))
    unit = models.CharField(_("unit of measure"), max_length=30)
    name_vi = models.CharField(_("Vietnamese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    definition_vi = models.TextField(_("definition (Vietnamese)"))
    definition_en = models.TextField(_("definition (English)"))
    numerator_vi = models.CharField(_("numerator (Vietnamese)"), max_length=200)
    numerator_en = models.CharField(_("numerator (English)"), max_length=200)
    denominator_vi = models.CharField(_("denominator (Vietnamese)"), max_length=200, blank=True)
    denominator_en = models.CharField(_("denominator (English)"), max_length=200, blank=True)
    covers_vi = models.CharField(_("covers (Vietnamese)"), max_length=100)
    covers_en = models.CharField(_("covers (English)"), max_length=100)
    seeds_vi = models.CharField(_("seed targets (Vietnamese)"), max_length=300)
    seeds_en = models.CharField(_("seed targets (English)"), max_length=300)
    regulation = models.CharField(_("regulation"), max_length=300)
    direction = models.CharField(_("better when"), max_length=4, choices=[(cat.UP, _("higher")),
                                                                        (cat.DOWN, _("lower"))])
    tracked_by = models.CharField(_("tracked by"), max_length=10, choices=TrackedBy.choices)

    class Meta:
        ordering = ["order"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return f"{self.code} – {self.name}"

    def _in_language(self, field: str) -> str:
        """The Vietnamese or English text of ``field`` for the active language (Vietnamese unless English)."""
        english = (get_language() or "vi").startswith("en")
        return getattr(self, f"{field}_en" if english else f"{field}_vi")

    @property
    def name(self) -> str:
        return self._in_language("name")

    @property
    def definition(self) -> str:
        return self._in_language("definition")

    @property
    def numerator(self) -> str:
        return self._in_language("numerator")

    @property
    def denominator(self) -> str:
        return self._in_language("denominator")

    @property
    def covers(self) -> str:
        return self._in_language("covers")

    @property
    def seeds(self) -> str:
        return self._in_language("seeds")

    @property
    def is_computed(self) -> bool:
        """Computed when a domain registered a family for it (see registry); declared otherwise."""
        from mamnon.indicators.registry import source_of

        return source_of(self.code) is not None

    def value_of(self, numerator, denominator):
        """The indicator's value from summed numerator and denominator (None when undefined)."""
        return calc.value(self.measure, numerator, denominator, float(self.factor))


COMPARISON_CHOICES = [
    (calc.AT_LEAST, _("at least")),
    (calc.AT_MOST, _("at most")),
    (calc.ZERO, _("exactly 0")),
    (calc.COUNT_AT_LEAST, _("a count of at least")),
    (calc.REDUCE_VS_BASELINE, _("reduce by x points against the baseline")),
    (calc.REDUCE_PER_YEAR, _("reduce by x points a year")),
    (calc.NOT_ABOVE_BASELINE, _("not above the baseline")),
]

TARGET_SETTER_ROLES = OFFICER_ROLES | SCHOOL_MANAGER_ROLES


def describe_target(comparison: str, value, baseline_period: str = "", unit: str = "") -> str:
    number = "" if value is None else formats.number_format(Decimal(f"{Decimal(value).normalize():f}"))
    if comparison == calc.AT_LEAST:
        return f"≥ {number} {unit}".strip()
    if comparison == calc.AT_MOST:
        return f"≤ {number} {unit}".strip()
    if comparison == calc.ZERO:
        return "= 0"
    if comparison == calc.COUNT_AT_LEAST:
        return f"≥ {number} {unit}".strip()
    if comparison == calc.REDUCE_VS_BASELINE:
        return gettext("reduce by %(x)s points against %(base)s") % {"x": number, "base": baseline_period}
    if comparison == calc.REDUCE_PER_YEAR:
        return gettext("reduce by %(x)s points a year from %(base)s") % {"x": number, "base": baseline_period}
    return gettext("not above %(base)s") % {"base": baseline_period}


class Target(ScopedModel):
    """A unit's target (chỉ tiêu) for an indicator over a period (a school year or a multi-year plan).

    ``source`` is the upper unit's target it was taken from (the cascade); a lower unit may set a stricter
    figure, and the upper unit sees which lower units set weaker ones.
    """

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="targets",
                             verbose_name=_("unit"))
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets",
                                  verbose_name=_("indicator"))
    period = models.CharField(_("period"), max_length=20,
                              help_text=_("a school year (2023-2024) or a plan (2021-2025)"))
    comparison = models.CharField(_("comparison"), max_length=20, choices=COMPARISON_CHOICES)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_period = models.CharField(_("baseline period"), max_length=20, blank=True,
                                       help_text=_("e.g. 2023-2024/R1 for the start of the year"))
    source = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="derived",
                               verbose_name=_("taken from"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "unit__path"
    scope_change_roles = TARGET_SETTER_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit_id", "indicator__order"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["unit", "indicator", "period"], name="indicators_target_unique"),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.period}: {self.describe()}"

    def describe(self) -> str:
        """The target in words, e.g. '≥ 95 %' or 'giảm 1,2 điểm so với 2023-2024/R1'."""
        return describe_target(self.comparison, self.value, self.baseline_period, self.indicator.unit)

    def clean(self):
        if calc.needs_value(self.comparison) and self.value is None:
            raise ValidationError({"value": _("This comparison needs a value.")})
        if calc.needs_baseline(self.comparison) and not self.baseline_period:
            raise ValidationError({"baseline_period": _("This comparison needs a baseline period.")})


class DeclaredValue(ScopedModel):
    """A unit's own figure for an indicator and period, with its evidence, reviewed by the unit above.

    Used for declared indicators (incidents, model sites, e-schools...) and for units that do not keep the
    records in mamnon. Only approved declarations enter the values.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Returned")

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="declared_values",
                             verbose_name=_("unit"))
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="declared_values",
                                  verbose_name=_("indicator"))
    period = models.CharField(_("period"), max_length=20)
    numerator = models.DecimalField(_("numerator (or count)"), max_digits=14, decimal_places=2)
    denominator = models.DecimalField(_("denominator"), max_digits=14, decimal_places=2, null=True, blank=True)
    evidence = models.FileField(
        _("evidence file"), upload_to="indicators/evidence/%Y/", blank=True,
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png", "xlsx", "docx", "doc", "xls"])],
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    declared_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)

    scope_path = "unit__path"
    scope_change_roles = TARGET_SETTER_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("declared value")
        verbose_name_plural = _("declared values")
        constraints = [
            models.UniqueConstraint(fields=["unit", "indicator", "period"], name="indicators_declared_unique"),
            models.CheckConstraint(condition=models.Q(numerator__gte=0), name="indicators_declared_num_pos"),
            models.CheckConstraint(condition=models.Q(denominator__isnull=True) | models.Q(denominator__gte=0),
                                   name="indicators_declared_den_pos"),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.period} {self.unit}"


class IndicatorValue(ScopedModel):
    """The value of an indicator for a unit and period: summed numerator and denominator, and the value.

    Written only by the refresh (services.values_refresh); ``source`` says whether the figures came from
    the records, from approved declarations, or both; ``schools`` how many schools contributed.
    """

    class Source(models.TextChoices):
        COMPUTED = "computed", _("computed from records")
        DECLARED = "declared", _("declared")
        MIXED = "mixed", _("records and declarations")

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.CharField(max_length=20)
    numerator = models.FloatField()
    denominator = models.FloatField()
    value = models.FloatField(null=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    schools = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    scope_path = "unit__path"

    class Meta:
        ordering = ["unit_id", "indicator_id", "period"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["unit", "indicator", "period"], name="indicators_value_unique"),
        ]
        indexes = [models.Index(fields=["period", "indicator"], name="indicators_value_period_idx")]

    def __str__(self):
        return f"{self.indicator_id} {self.period} {self.unit_id}: {self.value}"


class RefreshMark(models.Model):
    """A school year whose source data changed after its values were computed (a cheap 'dirty' mark)."""

    school_year = models.CharField(max_length=9, unique=True)
    dirty_since = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("refresh mark")
        verbose_name_plural = _("refresh marks")

    def __str__(self):
        return self.school_year
