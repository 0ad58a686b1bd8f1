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
from mamnon.core import clock
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
        verbose_name = _("report form field")
        verbose_name_plural = _("report form fields")
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
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
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
    at = models.DateTimeField(default=clock.now)

    scope_path = "report__unit__path"
    scope_view_roles = REPORT_ROLES

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
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
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
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
        verbose_name = _("duty reminder")
        verbose_name_plural = _("duty reminders")
        ordering = ["-on", "duty_id"]
        constraints = [
            models.UniqueConstraint(fields=["duty", "user", "kind", "on"], name="reporting_duty_reminder_unique"),
        ]


# --- programmes (chuyên đề, đề án, mô hình điểm) and the initiative library ---------------------------------


class ProgrammeKind(models.TextChoices):
    TOPIC = "topic", _("Thematic programme (chuyên đề)")
    SCHEME = "scheme", _("Scheme (đề án)")
    MODEL_SITE = "model_site", _("Model site (mô hình điểm)")


class Programme(ScopedModel):
    """A programme an office runs for the units below it: they register by a deadline, send evidence and are
    scored against its criteria."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="programmes",
                             verbose_name=_("run by"))
    school_year = models.ForeignKey("org.SchoolYear", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("school year"))
    kind = models.CharField(_("kind"), max_length=12, choices=ProgrammeKind.choices, default=ProgrammeKind.TOPIC)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    registration_deadline = models.DateField(_("registration deadline"))
    target_level = models.ForeignKey("org.OrgLevel", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("registered by units of level"),
                                     help_text=_("empty: any unit below"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "unit__path"
    scope_view_roles = REPORT_ROLES
    scope_change_roles = OFFICER_ROLES
    scope_manage_roles = OFFICER_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["-school_year__start_date", "unit_id", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [models.UniqueConstraint(fields=["unit", "school_year", "name"],
                                               name="reporting_programme_name_unique")]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    """A criterion a programme scores registered units against: at most ``max_score`` points, counted
    ``weight`` times in the total."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("criterion"), max_length=300)
    max_score = models.DecimalField(_("maximum score"), max_digits=6, decimal_places=2)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme_id", "order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="reporting_criterion_name_unique"),
            models.CheckConstraint(condition=models.Q(max_score__gt=0), name="reporting_criterion_max_positive"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="reporting_criterion_weight_positive"),
        ]

    def __str__(self):
        return self.name


class Registration(ScopedModel):
    """A unit's registration in a programme (what it will build or show), made by its managers."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="registrations",
                                  verbose_name=_("programme"))
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="programme_registrations",
                             verbose_name=_("unit"))
    title = models.CharField(_("model or content registered"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    contact = models.CharField(_("person in charge"), max_length=150, blank=True)
    registered_at = models.DateTimeField(_("registered"), default=clock.now)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope_path = "unit__path"
    scope_view_roles = REPORT_ROLES
    scope_change_roles = REPORT_ROLES
    scope_manage_roles = OFFICER_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme_id", "unit__name"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["programme", "unit"], name="reporting_registration_unique")]

    def __str__(self):
        return f"{self.unit.name} – {self.title}"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document")


def _upload_path(instance, filename):
    """Stored names never come from the user: the folder of the record and a random name with the checked
    extension (``filename`` is given by the service as ``<ext>``)."""
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower()
    if isinstance(instance, Evidence):
        folder = f"reporting/evidence/{instance.registration.programme_id}/{instance.registration.unit_id}"
    else:
        folder = f"reporting/initiatives/{instance.unit_id}"
    return f"{folder}/{uuid.uuid4().hex}.{ext}"


class Evidence(ScopedModel):
    """A file a registered unit sends as evidence (photo, video, document), stored through Django's storage
    API and served only by a scoped view."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="evidence",
                                     verbose_name=_("registration"))
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to=_upload_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), default=clock.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope_path = "registration__unit__path"
    scope_view_roles = REPORT_ROLES
    scope_change_roles = REPORT_ROLES
    scope_manage_roles = REPORT_ROLES

    class Meta:
        ordering = ["registration_id", "uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.original_name


class Score(ScopedModel):
    """The office's score of one registered unit on one criterion (0 to the criterion's maximum)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    scored_at = models.DateTimeField(_("scored"), default=clock.now)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope_path = "registration__unit__path"
    scope_view_roles = REPORT_ROLES
    scope_change_roles = OFFICER_ROLES
    scope_manage_roles = OFFICER_ROLES
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["registration_id", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "criterion"], name="reporting_score_unique"),
            models.CheckConstraint(condition=models.Q(score__gte=0), name="reporting_score_not_negative"),
        ]


class Initiative(ScopedModel):
    """A unit's initiative (sáng kiến, giải pháp sáng tạo); an office above it may select it into its shared
    library (``library_unit``), which every unit below that office browses."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="initiatives",
                             verbose_name=_("unit"))
    programme = models.ForeignKey(Programme, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="initiatives", verbose_name=_("programme"))
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    authors = models.CharField(_("authors"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to=_upload_path, max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=clock.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    library_unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="library", verbose_name=_("in the library of"))
    selected_at = models.DateTimeField(_("selected"), null=True, blank=True)
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    scope_path = "unit__path"
    scope_view_roles = REPORT_ROLES
    scope_change_roles = REPORT_ROLES
    scope_manage_roles = OFFICER_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "id"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self):
        return self.title
