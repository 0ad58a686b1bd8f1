"""Report forms (data sets) an office sets for the units below it, the reports units owe, and their workflow.

A ``ReportForm`` belongs to the unit that defines it (a district office, the province department) and is
owed by the units below it at ``target_level`` (schools); when ``consolidate`` is set, every office
between the owner and the target level also owes its own report to the level above, the sums of its
units' reports. A ``Report`` is one unit's report for one period; ``ReportEvent`` records each step of
its workflow (saved, submitted, returned, approved, reopened) with who and why.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mamnon.calc import reporting as calc
from mamnon.core.models import ScopedModel
from mamnon.core.roles import OFFICER_ROLES, SCHOOL_MANAGER_ROLES, SCHOOL_STAFF_ROLES

REPORT_ROLES = OFFICER_ROLES | SCHOOL_MANAGER_ROLES


class PeriodType(models.TextChoices):
    SCHOOL_YEAR = "school_year", _("School year")
    SEMESTER = "semester", _("Semester")
    ROUND = "round", _("Measurement round")
    MONTH = "month", _("Month")
    ONE_OFF = "one_off", _("One-off")


class DueKind(models.TextChoices):
    FIXED_DAY = calc.FIXED_DAY, _("A fixed day of a month")
    AFTER_PERIOD = calc.AFTER_PERIOD, _("Days after the period")
    ONE_OFF = calc.ONE_OFF, _("A fixed date")


class ReportForm(ScopedModel):
    """A data set: what the units below ``unit`` report, for which periods, by when."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="report_forms",
                             verbose_name=_("defined by"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    target_level = models.ForeignKey("org.OrgLevel", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("reported by units of level"))
    consolidate = models.BooleanField(
        _("offices consolidate"), default=True,
        help_text=_("offices between the defining unit and the reporting units send the sums upwards"))
    period_type = models.CharField(_("period type"), max_length=15, choices=PeriodType.choices)
    due_kind = models.CharField(_("due-date rule"), max_length=15, choices=DueKind.choices)
    due_months = models.CharField(_("due months"), max_length=40, blank=True,
                                  help_text=_("months the due day falls in, e.g. 9,12,3; empty: every month"))
    due_day = models.PositiveSmallIntegerField(_("due day"), null=True, blank=True)
    due_days_after = models.PositiveSmallIntegerField(_("days after the period"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    as_of_month = models.PositiveSmallIntegerField(_("data as at: month"), null=True, blank=True)
    as_of_day = models.PositiveSmallIntegerField(_("data as at: day"), null=True, blank=True)
    consolidation_days = models.PositiveSmallIntegerField(
        _("days the office has to consolidate"), default=5)
    active = models.BooleanField(_("active"), default=True)

    scope_path = "unit__path"
    scope_view_roles = REPORT_ROLES
    scope_change_roles = OFFICER_ROLES
    scope_manage_roles = OFFICER_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit_id", "code"]
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="reporting_form_code_unique")]

    def __str__(self):
        return self.name

    def due_rule_kwargs(self) -> dict:
        return {"months": self.due_months, "day": self.due_day, "days_after": self.due_days_after,
                "date": self.due_date}

    def clean(self):
        try:
            calc.check_due_rule(self.due_kind, **self.due_rule_kwargs())
        except calc.DueDateError:
            raise ValidationError({"due_kind": _("This due-date rule produces no date: check the day, month, "
                                                 "number of days or date.")}) from None


class FieldSource(models.TextChoices):
    TYPED = "typed", _("Typed by the unit")
    INDICATOR = "indicator", _("From an indicator")
    RECORDS = "records", _("From the records")


class IndicatorPart(models.TextChoices):
    NUMERATOR = "numerator", _("numerator")
    DENOMINATOR = "denominator", _("denominator")
    VALUE = "value", _("value (%)")


class FieldKind(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Number")
    TEXT = "text", _("Text")


class FormField(models.Model):
    """One field of a form: typed, or pre-filled from an indicator (registry code) or a records query."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="fields")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=300)
    section = models.CharField(_("section"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=FieldKind.choices, default=FieldKind.INTEGER)
    required = models.BooleanField(_("required"), default=True)
    source = models.CharField(_("source"), max_length=10, choices=FieldSource.choices, default=FieldSource.TYPED)
    indicator_code = models.CharField(_("indicator code"), max_length=40, blank=True)
    indicator_part = models.CharField(_("indicator part"), max_length=12, choices=IndicatorPart.choices,
                                      blank=True)
    records_query = models.CharField(_("records query"), max_length=40, blank=True)
    summable = models.BooleanField(_("summed in consolidations"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["form_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="reporting_field_code_unique")]

    def __str__(self):
        return self.label


class Severity(models.TextChoices):
    ERROR = "error", _("Error (blocks submission)")
    WARNING = "warning", _("Warning")


class ValidationRule(models.Model):
    """``left op right``, each side a sum of field codes and whole numbers (calc.reporting's grammar)."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="rules")
    left = models.CharField(_("left side"), max_length=300)
    op = models.CharField(_("comparison"), max_length=2, choices=[(o, o) for o in calc.OPS])
    right = models.CharField(_("right side"), max_length=300)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.ERROR)
    message = models.CharField(_("message"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        ordering = ["form_id", "id"]

    def __str__(self):
        return f"{self.left} {self.op} {self.right}"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


OPEN_STATUSES = (Status.NOT_STARTED, Status.DRAFT, Status.RETURNED)


class Report(ScopedModel):
    """One unit's report on one form for one period."""

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="reports", verbose_name=_("form"))
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="reports",
                             verbose_name=_("unit"))
    period = models.CharField(_("period"), max_length=20)
    due_date = models.DateField(_("due date"))
    is_consolidation = models.BooleanField(_("consolidation"), default=False)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.NOT_STARTED)
    values = models.JSONField(_("values"), default=dict, blank=True)
    prefilled = models.JSONField(default=dict, blank=True, help_text="values offered by the data, by field code")
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("signed off by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "unit__path"
    scope_commune = "unit__school__commune_id"
    scope_view_roles = REPORT_ROLES
    scope_change_roles = REPORT_ROLES
    scope_manage_roles = OFFICER_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "form_id", "unit_id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["form", "unit", "period"], name="reporting_report_unique"),
        ]
        indexes = [models.Index(fields=["form", "period", "status"], name="reporting_report_fps_idx")]

    def __str__(self):
        return f"{self.form.name} – {self.unit.name} – {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.status in (Status.SUBMITTED, Status.APPROVED)

    def is_overdue(self, today) -> bool:
        return self.status in OPEN_STATUSES and self.due_date < today

    def on_time(self) -> bool | None:
        if self.first_submitted_at is None:
            return None
        from django.utils import timezone

        return timezone.localdate(self.first_submitted_at) <= self.due_date


class ReportEvent(ScopedModel):
    """A step of a report's workflow, with who took it and the comment or reason."""

    class Action(models.TextChoices):
        SAVED = "saved", _("Saved")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        REOPENED = "reopened", _("Re-opened")
        CONSOLIDATED = "consolidated", _("Consolidated")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=15, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    scope_path = "report__unit__path"
    scope_view_roles = REPORT_ROLES

    class Meta:
        ordering = ["report_id", "at", "id"]


class Reminder(ScopedModel):
    """A reminder that a report falls due (shown in the app; also sent by e-mail by ``mamnon reminders``)."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    on = models.DateField(_("date"))
    emailed = models.BooleanField(default=False)
    read = models.BooleanField(default=False)

    scope_path = "report__unit__path"
    scope_view_roles = REPORT_ROLES

    class Meta:
        ordering = ["-on", "report_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "user", "kind", "on"], name="reporting_reminder_unique"),
        ]


class Duty(ScopedModel):
    """A dated duty of a unit's plan (kế hoạch tháng): what, who does it, what it delivers, to whom, by when.

    ``month`` is the first day of the month the duty belongs to; ``due_date`` is set when it has a deadline.
    A duty of an office marked ``for_units_below`` appears in the calendars of every unit below it.
    ``recurring`` duties are copied to the next school year by ``services.duties_roll_over``.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="duties", verbose_name=_("unit"))
    school_year = models.ForeignKey("org.SchoolYear", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("school year"))
    month = models.DateField(_("month"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    title = models.CharField(_("duty"), max_length=400)
    owner = models.CharField(_("responsible"), max_length=150, blank=True)
    deliverable = models.CharField(_("deliverable"), max_length=300, blank=True)
    recipient = models.CharField(_("sent to"), max_length=150, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    recurring = models.BooleanField(_("every year"), default=False)
    for_units_below = models.BooleanField(_("for the units below"), default=False)

    scope_path = "unit__path"
    scope_view_roles = OFFICER_ROLES | SCHOOL_STAFF_ROLES
    scope_change_roles = REPORT_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["month", "due_date", "id"]
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        indexes = [models.Index(fields=["unit", "month"], name="reporting_duty_unit_month_idx")]

    def __str__(self):
        return self.title


class DutyReminder(ScopedModel):
    """A reminder that a duty of the plan falls due, for one person of ``unit`` (in the app; e-mailed too).

    ``unit`` is the unit the person is reminded as: the duty's own unit, or a unit below an office whose duty
    is marked ``for_units_below``.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    duty = models.ForeignKey(Duty, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty_reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    on = models.DateField(_("date"))
    emailed = models.BooleanField(default=False)
    read = models.BooleanField(default=False)

    scope_path = "unit__path"
    scope_view_roles = REPORT_ROLES

    class Meta:
        ordering = ["-on", "duty_id"]
        constraints = [
            models.UniqueConstraint(fields=["duty", "user", "kind", "on"], name="reporting_duty_reminder_unique"),
        ]
