"""The school day: calendar, attendance, handovers (đón - trả trẻ), absence requests, incidents."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mamnon.core import clock
from mamnon.core.models import ScopedModel
from mamnon.core.roles import OFFICER_ROLES, SCHOOL_STAFF_ROLES, Role

DAY_WRITERS = {Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.TEACHER, Role.HEALTH_STAFF}


class CalendarDay(ScopedModel):
    """An exception to the Monday-Friday school week for a unit and everything below it.

    A province's holiday applies to all its schools; a school's closure or make-up day to itself.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        CLOSURE = "closure", _("Closure")
        MAKE_UP = "make_up", _("Make-up school day")

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="calendar_days")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind of day"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_path = "unit__path"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["unit", "date"], name="attendance_calendar_unique")]


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Absent with permission")
    UNEXCUSED = "unexcused", _("Absent without permission")
    SICK = "sick", _("Absent, sick")


PRESENT_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class GroupDay(ScopedModel):
    """One group's register for one day: who saved it, whether it is locked, who reopened it and why."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey("children.Group", on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    saved_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reopened_until = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.CharField(_("reason for reopening"), max_length=300, blank=True)

    scope_path = "school__unit__path"
    scope_group = "group_id"
    scope_change_roles = DAY_WRITERS
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("register of a group's day")
        verbose_name_plural = _("registers of groups' days")
        constraints = [models.UniqueConstraint(fields=["group", "date"], name="attendance_groupday_unique")]


class DayCount(ScopedModel):
    """Children present and registered in one group's register on one day: derived from the Attendance rows.

    Kept exact by ``services.day_counts_refresh`` (one INSERT ... SELECT ... ON CONFLICT statement) whenever
    rows are written: by the register's save for the group (and for any group a child was moved out of),
    by the ORM's save and delete of a single row, and after the demo's bulk load. Indicators and reports sum
    these few rows (one per group and day) instead of every child's row.
    """

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    # found through the (group, date) constraint, whose first column it is
    group = models.ForeignKey("children.Group", on_delete=models.CASCADE, related_name="+", db_index=False)
    date = models.DateField(_("date"))
    present = models.PositiveIntegerField(_("present"), default=0)
    registered = models.PositiveIntegerField(_("registered"), default=0)

    scope_path = "school__unit__path"
    scope_group = "group_id"
    scope_change_roles = ()

    class Meta:
        verbose_name = _("day count of a group")
        verbose_name_plural = _("day counts of groups")
        constraints = [models.UniqueConstraint(fields=["group", "date"], name="attendance_daycount_unique")]
        indexes = [models.Index(fields=["date", "school"], name="attendance_daycount_date_idx")]


class Attendance(ScopedModel):
    """One row per child and school day (enforced), at the school and group where it was taken.

    The busiest table of the system (every register saved writes a group's rows and as many audit rows), so
    it keeps no index that another one covers: the foreign keys to the school, the group and the child are
    found through (school, date), (group, date) and the (child, date) constraint, whose first column they
    are (deletions and PROTECT checks included). Its audit table keeps the indexes the change log reads
    (the row's id, the school that scopes it, the date and the user), not the group's, the child's or the
    recorder's, which nothing looks up there.
    """

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+", db_index=False)
    group = models.ForeignKey("children.Group", on_delete=models.PROTECT, related_name="attendance", db_index=False)
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="attendance", db_index=False)
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=10, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.PRESENT)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    scope_path = "school__unit__path"
    scope_group = "group_id"
    scope_child = "child_id"
    scope_change_roles = DAY_WRITERS
    history = HistoricalRecords(no_db_index=["group", "child", "recorded_by"])

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        constraints = [models.UniqueConstraint(fields=["child", "date"], name="attendance_one_row_per_child_day")]
        indexes = [
            models.Index(fields=["group", "date"], name="attendance_group_date_idx"),
            models.Index(fields=["school", "date"], name="attendance_school_date_idx"),
        ]


class Handover(ScopedModel):
    """The daily drop-off and pick-up record that replaces the paper book (seed 000 and 002: teacher and
    parent confirm the child's state of health every day)."""

    class State(models.TextChoices):
        NORMAL = "normal", _("Normal")
        UNWELL = "unwell", _("Unwell")

    class Method(models.TextChoices):
        PORTAL = "portal", _("Parent portal")
        PIN = "pin", _("Guardian's PIN")
        SIGNATURE = "signature", _("Drawn signature")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey("children.Group", on_delete=models.PROTECT, related_name="handovers")
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="handovers")
    date = models.DateField(_("date"))
    # Drop-off
    dropoff_at = models.DateTimeField(_("drop-off time"), null=True, blank=True)
    dropoff_by = models.ForeignKey("children.Guardian", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("brought by"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.NORMAL)
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True)
    symptoms = models.CharField(_("symptoms"), max_length=300, blank=True)
    medicine = models.CharField(_("medicine to give"), max_length=200, blank=True)
    medicine_dose = models.CharField(_("dose"), max_length=100, blank=True)
    medicine_time = models.CharField(_("time to give it"), max_length=60, blank=True)
    dropoff_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                            blank=True, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed by the guardian at"), null=True, blank=True)
    confirmed_by = models.ForeignKey("children.Guardian", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    confirm_method = models.CharField(max_length=10, choices=Method.choices, blank=True)
    signature_svg = models.TextField(blank=True)
    # Pick-up
    pickup_at = models.DateTimeField(_("pick-up time"), null=True, blank=True)
    pickup_guardian = models.ForeignKey("children.Guardian", on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+")
    pickup_person = models.ForeignKey("children.AuthorisedPickup", on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="+")
    pickup_other_name = models.CharField(_("collected by (not on the list)"), max_length=150, blank=True)
    pickup_override_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                           blank=True, related_name="+")
    pickup_override_reason = models.CharField(max_length=300, blank=True)
    meals = models.CharField(_("meals eaten"), max_length=200, blank=True)
    nap = models.CharField(_("nap"), max_length=100, blank=True)
    day_notes = models.TextField(_("notes of the day"), blank=True)
    pickup_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                           blank=True, related_name="+")

    scope_path = "school__unit__path"
    scope_group = "group_id"
    scope_child = "child_id"
    scope_view_roles = SCHOOL_STAFF_ROLES | {Role.PARENT}
    scope_change_roles = DAY_WRITERS
    history = HistoricalRecords(excluded_fields=["signature_svg"])

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [models.UniqueConstraint(fields=["child", "date"], name="attendance_one_handover_per_day")]
        indexes = [models.Index(fields=["group", "date"], name="attendance_handover_group_idx")]


class AbsenceRequest(ScopedModel):
    """A parent's notice that the child will be away (counts against the meal count before the cut-off)."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="absence_requests")
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=300)
    sick = models.BooleanField(_("sick"), default=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=clock.now, editable=False)  # the application clock (core.clock)

    scope_path = "school__unit__path"
    scope_child = "child_id"
    scope_view_roles = SCHOOL_STAFF_ROLES | {Role.PARENT}
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("absence request")
        verbose_name_plural = _("absence requests")
        ordering = ["-date_from"]
        constraints = [models.CheckConstraint(condition=models.Q(date_to__gte=models.F("date_from")),
                                              name="attendance_absence_dates_ordered")]


class Incident(ScopedModel):
    """An injury or accident at school (feeds the INCIDENTS indicator)."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="incidents",
                               verbose_name=_("school"))
    child = models.ForeignKey("children.Child", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="incidents", verbose_name=_("child"))
    group = models.ForeignKey("children.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("group"))
    occurred_at = models.DateTimeField(_("when"))
    place = models.CharField(_("where"), max_length=200)
    what = models.TextField(_("what happened"))
    present = models.CharField(_("who was present"), max_length=300, blank=True)
    first_aid = models.TextField(_("first aid given"), blank=True)
    parents_informed_at = models.DateTimeField(_("parents informed at"), null=True, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    serious = models.BooleanField(_("serious (hospital)"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    scope_path = "school__unit__path"
    scope_child = "child_id"
    scope_view_roles = SCHOOL_STAFF_ROLES | OFFICER_ROLES | {Role.PARENT}
    scope_change_roles = SCHOOL_STAFF_ROLES
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at"]
