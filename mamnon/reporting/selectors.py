"""Reads of the reporting domain: who owes what, inboxes, consolidations, completeness and timeliness.

**Expected units.** A unit owes a form's report for a period when it stands, at the period's last day, in the
defining unit's subtree at the form's level (the tree of that day: ``org.selectors.tree_as_of``, so a school
moved to another district mid-year counts in the district it belongs to at the end). A unit that opened
during the period is expected; a unit closed or merged away before the period's end is not (its children and
data now belong to the unit it merged into, so they are counted once) unless it did submit a report for the
period, in which case it counts as expected and as submitted. Submitted units are always a subset of the
expected ones, so rates never exceed 100%.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from mamnon.calc import reporting as calc
from mamnon.calc.periods import MONTH, parse_period
from mamnon.core import clock, scoping
from mamnon.core.roles import OFFICER_ROLES
from mamnon.org.models import OrgUnit, OrgUnitVersion
from mamnon.org.selectors import tree_as_of, version_as_of
from mamnon.reporting.models import OPEN_STATUSES, PeriodType, Report, ReportForm, Status


def periods_of(form: ReportForm, school_year: str) -> list[str]:
    """The periods a form is reported for in a school year."""
    if form.period_type == PeriodType.SEMESTER:
        return [f"{school_year}/HK1", f"{school_year}/HK2"]
    if form.period_type == PeriodType.ROUND:
        return [f"{school_year}/R{n}" for n in (1, 2, 3)]
    if form.period_type == PeriodType.MONTH:
        year = parse_period(school_year)
        out, day = [], year.start.replace(day=1)
        while day <= year.end:
            out.append(f"{day:%Y-%m}")
            day = (day + dt.timedelta(days=32)).replace(day=1)
        assert all(parse_period(p).kind == MONTH for p in out)
        return out
    return [school_year]


def _paths_at_end(form: ReportForm, period_code: str, root: OrgUnit | None = None) -> dict[int, str]:
    """{unit id: path at the period's end} of the units expected to report (see the module docstring)."""
    period = parse_period(period_code)
    base = form.unit
    if root is not None and root.path.startswith(form.unit.path):
        base = root
    versions = tree_as_of(base, period.end).filter(level_id=form.target_level_id)
    expected = dict(versions.values_list("unit_id", "path"))
    # Units closed before the period ended that did submit count too.
    late = (Report.objects.filter(form=form, period=period_code, first_submitted_at__isnull=False,
                                  is_consolidation=False)
            .exclude(unit_id__in=list(expected)).select_related("unit"))
    prefix = version_as_of(base, period.end)
    prefix_path = prefix.path if prefix else base.path
    for report in late:
        unit = report.unit
        day = min(period.end, unit.valid_to) if unit.valid_to else period.end
        version = version_as_of(unit, day)
        path = version.path if version else unit.path
        if path.startswith(prefix_path):
            expected[unit.pk] = path
    return expected


def expected_units(form: ReportForm, period_code: str, root: OrgUnit | None = None) -> list[int]:
    return sorted(_paths_at_end(form, period_code, root))


def consolidating_offices(form: ReportForm, period_code: str, expected) -> dict[int, str]:
    """Offices strictly between the defining unit and the reporting level that have expected units below."""
    period = parse_period(period_code)
    level_rank = form.target_level.rank
    versions = (tree_as_of(form.unit, period.end).exclude(unit_id=form.unit_id)
                .filter(level__rank__lt=level_rank, level__is_school=False))
    offices = dict(versions.values_list("unit_id", "path"))
    paths = _paths_at_end(form, period_code)
    return {uid: path for uid, path in offices.items() if any(p.startswith(path) for p in paths.values())}


def consolidated_values(report: Report) -> tuple[dict, dict]:
    """Sums of the summable number fields over the office's units' submitted and approved reports."""
    form = report.form
    paths = _paths_at_end(form, report.period, report.unit)
    office_version = version_as_of(report.unit, parse_period(report.period).end)
    prefix = office_version.path if office_version else report.unit.path
    below = [uid for uid, p in paths.items() if p.startswith(prefix)]
    rows = list(Report.objects.filter(form=form, period=report.period, is_consolidation=False, unit_id__in=below,
                                      status__in=[Status.SUBMITTED, Status.APPROVED])
                .values_list("status", "values"))
    fields = [f for f in form.fields.all() if f.summable and f.kind != "text"]
    sums: dict[str, float | int] = {}
    for f in fields:
        total = 0
        for _status, values in rows:
            v = values.get(f.code)
            if isinstance(v, int | float) and not isinstance(v, bool):
                total += v
        sums[f.code] = round(total, 2) if isinstance(total, float) else total
    counts = {"approved": sum(1 for s, _v in rows if s == Status.APPROVED),
              "submitted": sum(1 for s, _v in rows if s == Status.SUBMITTED)}
    counts["missing"] = len(below) - counts["approved"] - counts["submitted"]
    return sums, counts


# --- inbox -----------------------------------------------------------------------------------------


def display_status(report: Report, today: dt.date) -> str:
    """The status shown: the stored one, or ``overdue`` when still open after the due date; a returned report
    shows as returned whatever the date, so the school sees at once that the office wants a correction."""
    if report.status == Status.RETURNED:
        return report.status
    return "overdue" if report.status in OPEN_STATUSES and report.due_date < today else report.status


@dataclass
class Inbox:
    owed: list[Report] = field(default_factory=list)  # reports of the user's own units
    to_review: list[Report] = field(default_factory=list)  # submitted reports of units below an officer's
    reminders: list = field(default_factory=list)
    duty_reminders: list = field(default_factory=list)  # DutyReminder: duties of the plans due soon or overdue


def inbox(user, *, today: dt.date | None = None, period: str | None = None) -> Inbox:
    today = today or clock.today()
    visible = Report.objects.for_user(user).select_related("form", "unit")
    if period:
        visible = visible.filter(period=period)
    own_units = [g.unit_id for g in scoping.grants(user)
                 if g.role in OFFICER_ROLES or g.role in ("principal", "vice_principal")]
    out = Inbox()
    if scoping.is_admin(user) and not own_units:
        out.to_review = list(visible.filter(status=Status.SUBMITTED)[:200])
        out.duty_reminders = duty_reminders_of(user)
        return out
    out.owed = list(visible.filter(unit_id__in=own_units).order_by("due_date", "form__name"))
    officer_paths = scoping.scope_paths(user, OFFICER_ROLES)
    if officer_paths:
        q = Q()
        for p in officer_paths:
            q |= Q(unit__path__startswith=p)
        out.to_review = list(visible.filter(q, status=Status.SUBMITTED).exclude(unit_id__in=own_units)
                             .order_by("due_date"))
    from mamnon.reporting.models import Reminder

    out.reminders = list(Reminder.objects.filter(user=user, read=False).select_related("report__form",
                                                                                       "report__unit")[:20])
    out.duty_reminders = duty_reminders_of(user)
    for r in out.owed + out.to_review:
        r.shown_status = display_status(r, today)
    return out


# --- completeness and timeliness -------------------------------------------------------------------


@dataclass
class Completeness:
    unit_id: int
    name: str
    expected: int = 0
    submitted: int = 0
    on_time: int = 0

    @property
    def submitted_rate(self):
        return calc.rate(self.submitted, self.expected)

    @property
    def on_time_rate(self):
        return calc.rate(self.on_time, self.expected)


def completeness(form: ReportForm, period_code: str, root: OrgUnit) -> tuple[Completeness, list[Completeness],
                                                                            list[dict]]:
    """(total under ``root``, one row per unit directly below ``root`` at the period's end, the units' rows).

    One query for the tree, one for the reports; the roll-up is a prefix match on the paths of that day.
    """
    period = parse_period(period_code)
    paths = _paths_at_end(form, period_code, root)
    root_version = version_as_of(root, period.end)
    root_path = root_version.path if root_version else root.path
    paths = {uid: p for uid, p in paths.items() if p.startswith(root_path)}
    reports = {r.unit_id: r for r in Report.objects.filter(form=form, period=period_code, is_consolidation=False,
                                                           unit_id__in=list(paths))}
    children = list(OrgUnitVersion.objects.filter(parent_id=root.pk, valid_from__lte=period.end)
                    .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.end)).order_by("name")
                    .values_list("unit_id", "name", "path"))
    total = Completeness(root.pk, root_version.name if root_version else root.name)
    rows = [Completeness(uid, name) for uid, name, _p in children]
    child_paths = [(row, p) for row, (_u, _n, p) in zip(rows, children, strict=True)]
    names = dict(OrgUnitVersion.objects.filter(unit_id__in=list(paths), valid_from__lte=period.end)
                 .order_by("unit_id", "valid_from").values_list("unit_id", "name"))
    units = []
    for uid, path in sorted(paths.items(), key=lambda kv: names.get(kv[0], "")):
        report = reports.get(uid)
        submitted = report is not None and report.first_submitted_at is not None
        on_time = bool(submitted and report.on_time())
        targets = [total] + [row for row, p in child_paths if path.startswith(p)]
        for t in targets:
            t.expected += 1
            t.submitted += submitted
            t.on_time += on_time
        units.append({"unit_id": uid, "name": names.get(uid, ""), "report": report,
                      "status": display_status(report, clock.today()) if report else Status.NOT_STARTED,
                      "submitted": submitted, "on_time": on_time})
    return total, [r for r in rows if r.expected], units


# --- the calendar -----------------------------------------------------------------------------------------


def duty_reminders_of(user, limit: int = 20) -> list:
    """The user's unread reminders of duties (their own: a reminder is addressed to one person)."""
    from mamnon.reporting.models import Duty, DutyReminder

    return list(DutyReminder.objects.filter(user=user, read=False, duty__status=Duty.Status.PLANNED)
                .select_related("duty__unit", "unit")[:limit])


@dataclass
class Deadline:
    """A report a unit will owe by ``due``, from a form of an office above it, not issued as a report yet."""

    form: ReportForm
    period: str
    due: dt.date
    is_consolidation: bool = False
    for_units_below: bool = False  # the unit's own form: the deadline it set for the units below


@dataclass
class CalendarMonth:
    unit: OrgUnit
    month: dt.date
    duties: list = field(default_factory=list)  # the unit's own and those of the offices above it
    reports: list = field(default_factory=list)  # reports the unit owes, due this month
    deadlines: list = field(default_factory=list)  # forms' due dates this month with no report issued yet


def form_deadlines(user, unit: OrgUnit, first: dt.date, nxt: dt.date, *, school_year: str) -> list[Deadline]:
    """Due dates in [first, nxt) of the forms the user sees that ``unit`` owes (a form of an office above it,
    for its level; or a consolidation it makes) or sets (its own forms, for the units below), except the
    reports already issued to the unit (those are listed as reports). Computed from the due-date rules."""
    from django.core.exceptions import ValidationError

    from mamnon.reporting.services import form_due_date

    ancestors = [int(x) for x in unit.path.strip("/").split("/") if x]
    forms = list(ReportForm.objects.for_user(user).filter(active=True, unit_id__in=ancestors)
                 .select_related("unit", "target_level").order_by("name"))
    issued = set(Report.objects.filter(unit=unit, form__in=forms).values_list("form_id", "period"))
    out = []
    for form in forms:
        own = form.unit_id == unit.pk
        if own:
            kinds = [(False, True)]
        elif form.target_level_id == unit.level_id:
            kinds = [(False, False)]
        elif form.consolidate and not unit.level.is_school and unit.level.rank < form.target_level.rank:
            kinds = [(True, False)]
        else:
            continue
        for period in periods_of(form, school_year):
            if not own and (form.pk, period) in issued:
                continue
            for consolidation, below in kinds:
                try:
                    due = form_due_date(form, period, consolidation=consolidation)
                except ValidationError:  # a rule giving no date for this period: nothing to show
                    continue
                if first <= due < nxt:
                    out.append(Deadline(form, period, due, consolidation, below))
    return sorted(out, key=lambda d: (d.due, d.form.name))


def calendar_month(user, unit: OrgUnit, month: dt.date) -> CalendarMonth:
    """A unit's month: its duties, its offices' duties for the units below (``for_units_below``), the reports it
    owes that month and the deadlines of the forms of its offices (and its own) not yet issued as reports."""
    from mamnon.org.models import SchoolYear
    from mamnon.reporting.models import Duty

    first = month.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    ancestors = [int(x) for x in unit.path.strip("/").split("/") if x and int(x) != unit.pk]
    duties = (Duty.objects.for_user(user).filter(month=first)
              .filter(Q(unit=unit) | Q(unit_id__in=ancestors, for_units_below=True))
              .select_related("unit").order_by("due_date", "id"))
    reports = list(Report.objects.for_user(user).filter(unit=unit, due_date__gte=first, due_date__lt=nxt)
                   .select_related("form").order_by("due_date"))
    out = CalendarMonth(unit, first, list(duties), reports)
    year = SchoolYear.objects.filter(start_date__lte=nxt - dt.timedelta(days=1)).order_by("-start_date").first()
    if year is not None and (scoping.is_admin(user) or scoping.roles_of(user) & set(ReportForm.scope_view_roles)):
        out.deadlines = form_deadlines(user, unit, first, nxt, school_year=year.code)
    return out
