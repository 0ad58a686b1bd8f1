"""Reads of the school day: the calendar, the registers, rates, monthly sheets and meal counts.

Every function here runs a fixed number of queries, whatever the size of the group or the period;
the arithmetic is in mamnon.calc.schooldays.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from mamnon.attendance.models import (
    PRESENT_STATUSES,
    AbsenceRequest,
    Attendance,
    AttendanceStatus,
    CalendarDay,
    GroupDay,
)
from mamnon.calc import schooldays as calc
from mamnon.children.models import AgeBand, Child, Enrolment, Group, GroupTeacher
from mamnon.core import clock, scoping
from mamnon.core.models import Rule
from mamnon.core.roles import OFFICER_ROLES, SCHOOL_MANAGER_ROLES, SCHOOL_STAFF_ROLES, Role
from mamnon.core.rules import rules_in_force
from mamnon.org.models import OrgUnit, School, Staff

# Registers are kept in Vietnam's time: the lock hour and the kitchen's cut-off are local hours.
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ABSENT_STATUSES = (AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED, AttendanceStatus.SICK)

LOCK_HOUR = "attendance_lock_hour"
CUTOFF_HOUR = "kitchen_cutoff_hour"
RATE_K5 = "attendance_rate_min.k5"
RATE_OTHER = "attendance_rate_min.other"
DEFAULT_LOCK_HOUR = Decimal(17)
DEFAULT_CUTOFF_HOUR = Decimal(9)

# Who reads a group's register (never parents: it lists the other families' children), and who counts
# meals (the kitchen issue's readers).
REGISTER_READ_ROLES = SCHOOL_STAFF_ROLES | OFFICER_ROLES
MEAL_ROLES = frozenset({Role.KITCHEN_STAFF}) | SCHOOL_MANAGER_ROLES | OFFICER_ROLES


def now() -> dt.datetime:
    """The clock every register decision uses (tests move it)."""
    return clock.now()


def local_now() -> dt.datetime:
    return now().astimezone(VN_TZ)


def local_today() -> dt.date:
    return local_now().date()


def at_local_hour(day: dt.date, hour: Decimal | float | int) -> dt.datetime:
    """``day`` at a configured local hour, as an aware datetime."""
    return dt.datetime.combine(day, calc.hour_to_time(hour), tzinfo=VN_TZ)


# --- the calendar ------------------------------------------------------------------------------------


def _ancestor_ids(path: str) -> list[int]:
    return [int(x) for x in path.strip("/").split("/") if x]


def _school_unit(school):
    """The school's OrgUnit when it is already loaded (no query), else None."""
    if isinstance(school, OrgUnit):
        return school
    return school.unit if School._meta.get_field("unit").is_cached(school) else None


def calendar_exceptions(*, school, start: dt.date, end: dt.date) -> list[tuple[dt.date, str, int]]:
    """(date, kind, depth) of the exceptions set at the school or any unit above it: ONE query."""
    qs = CalendarDay.objects.filter(date__gte=start, date__lte=end)
    unit = _school_unit(school)
    if unit is not None and unit.path:
        qs = qs.filter(unit_id__in=_ancestor_ids(unit.path))
    else:
        # The school's path read in the same statement: a unit applies when it is a prefix of that path.
        school_path = OrgUnit.objects.filter(pk=school.pk).values("path")[:1]
        qs = qs.annotate(_school_path=Subquery(school_path)).filter(_school_path__startswith=F("unit__path"))
    return list(qs.values_list("date", "kind", "unit__depth"))


def school_days(*, school, start: dt.date, end: dt.date) -> list[dt.date]:
    """The school's school days from ``start`` to ``end`` (inclusive), in one query.

    Monday-Friday minus the holidays and closures of the school or any unit above it (a province's
    holiday applies to all its schools), plus make-up days; the deepest unit's entry wins on a date.
    """
    if end < start:
        return []
    return calc.school_days(start, end, calendar_exceptions(school=school, start=start, end=end))


def is_school_day(*, school, day: dt.date) -> bool:
    return bool(school_days(school=school, start=day, end=day))


def calendar_entries(*, unit: OrgUnit, start: dt.date, end: dt.date) -> list[CalendarDay]:
    """The unit's own exceptions and those it inherits from the units above, in date order."""
    return list(
        CalendarDay.objects.filter(unit_id__in=_ancestor_ids(unit.path), date__gte=start, date__lte=end)
        .select_related("unit__level")
        .order_by("date", "-unit__depth")
    )


# --- who may read and write a group's register -------------------------------------------------------


def register_groups(user, *, write: bool = False) -> QuerySet[Group]:
    """Groups whose register ``user`` may read (or, with ``write``, save): scoping's rule for Attendance
    rows (``Attendance.scope_change_roles`` to write; school staff and officers to read), applied to the
    group so that it holds before the day's rows exist."""
    return scoping.groups_reached(user, Attendance.scope_change_roles if write else REGISTER_READ_ROLES)


def may_take_register(user, *, school_path: str, teaches: bool, write: bool = False) -> bool:
    """``register_groups``'s rule for one group (tests check that both forms agree for every user and group)."""
    roles = Attendance.scope_change_roles if write else REGISTER_READ_ROLES
    return scoping.reaches_group(user, roles, school_path=school_path, teaches=teaches)


def is_school_manager(user, school_unit: OrgUnit) -> bool:
    """A principal or vice-principal of the school (or above it), or an administrator: not bound by the lock."""
    if scoping.is_admin(user):
        return True
    return any(school_unit.path.startswith(p) for p in scoping.scope_paths(user, SCHOOL_MANAGER_ROLES))


def _enrolled_on(day: dt.date, prefix: str = "") -> Q:
    """An enrolment open on ``day`` (its end date is the last day in the group)."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


@dataclass
class RegisterRow:
    child_id: int
    full_name: str
    birth_date: dt.date
    status: str
    note: str = ""
    recorded: bool = False  # a row exists for the day
    requested: str | None = None  # "sick" or "excused": a parent's absence request covers the day
    recorded_group: int | None = None  # the group the day's row was taken in

    @property
    def present(self) -> bool:
        return self.status in PRESENT_STATUSES


def _tables(*models) -> list[str]:
    return [connection.ops.quote_name(m._meta.db_table) for m in models]


def _aware(value):
    """Datetimes read by raw SQL: SQLite returns them naive, in UTC."""
    if value is not None and timezone.is_naive(value):
        return value.replace(tzinfo=dt.UTC)
    return value


def register_rows(*, group: Group | int, day: dt.date) -> list[RegisterRow]:
    """The children with an open enrolment in the group on ``day``, with the day's marks: ONE query.

    A child without a row yet is present, or absent as her parents asked (sick or excused). Raw SQL: the
    register is the busiest read of the system and the ORM's compilation cost more than the query.
    """
    with connection.cursor() as cursor:
        cursor.execute(*register_rows_query(group=group, day=day))
        return register_rows_result(cursor.fetchall())


def register_rows_query(*, group: Group | int, day: dt.date) -> tuple[str, list]:
    """``register_rows``' statement and parameters (the save sends it together with the context's)."""
    group_id = group if isinstance(group, int) else group.pk
    enrolment, child, attendance, request = _tables(Enrolment, Child, Attendance, AbsenceRequest)
    d = connection.ops.adapt_datefield_value(day)
    sql = f"""
        SELECT DISTINCT c.id, c.full_name, c.birth_date, c.name_folded, a.id, a.status, a.note, a.group_id,
          (SELECT MAX(CASE WHEN r.sick THEN 1 ELSE 0 END) FROM {request} r
            WHERE r.child_id = c.id AND r.date_from <= %s AND r.date_to >= %s)
        FROM {enrolment} e
        JOIN {child} c ON c.id = e.child_id
        LEFT JOIN {attendance} a ON a.child_id = c.id AND a.date = %s
        WHERE e.group_id = %s AND e.start_date <= %s AND (e.end_date IS NULL OR e.end_date >= %s)
        ORDER BY c.name_folded, c.birth_date, c.id"""
    return sql, [d, d, d, group_id, d, d]


def register_rows_result(found) -> list[RegisterRow]:
    """The rows of ``register_rows_query``'s result."""
    out = []
    for pk, name, born, _folded, row_id, status, note, row_group, sick in found:
        requested = None if sick is None else (AttendanceStatus.SICK if sick else AttendanceStatus.EXCUSED)
        if row_id is None:
            status = requested or AttendanceStatus.PRESENT
        if isinstance(born, str):
            born = dt.date.fromisoformat(born)
        out.append(RegisterRow(pk, name, born, status, note or "", row_id is not None, requested, row_group))
    return out


def group_day(*, group: Group | int, day: dt.date) -> GroupDay | None:
    group_id = group if isinstance(group, int) else group.pk
    return GroupDay.objects.filter(group_id=group_id, date=day).select_related("saved_by", "reopened_by").first()


def lock_hour(*, school_unit: OrgUnit, day: dt.date) -> Decimal:
    rule = rules_in_force([LOCK_HOUR], on=day, unit=school_unit).get(LOCK_HOUR)
    return rule.value if rule is not None else DEFAULT_LOCK_HOUR


@dataclass
class DayRecord:
    """The group's GroupDay row for the day, as read with the register's context."""

    id: int
    saved_at: dt.datetime | None
    saved_by: str
    reopened_until: dt.datetime | None
    reopened_by_id: int | None
    reopen_reason: str


@dataclass
class RegisterContext:
    """What a register needs to know before its rows: the group (with school and unit), whether the day is a
    school day, the lock hour in force, the day's GroupDay row, and whether the user may save."""

    group: Group
    day: dt.date
    school_day: bool
    lock_hour: Decimal
    record: DayRecord | None
    can_write: bool


def register_context(user, group_id: int, day: dt.date, *, write: bool) -> RegisterContext | None:
    """The group, if ``user`` may read (or, with ``write``, save) its register, and the day's state: ONE query.

    The group with its school's unit, whether the user teaches it, the calendar exception of the deepest
    unit on the school's path, the lock-hour rule in force (the deepest unit's override first, then the
    newest: core.rules.rules_in_force's order) and the day's GroupDay row, read in one raw statement (the
    save path's first read; the ORM's compilation of it cost more than the query). The access decision
    is ``may_take_register``, register_groups' rule for one group.
    """
    with connection.cursor() as cursor:
        cursor.execute(*register_context_query(user, group_id, day))
        return register_context_result(user, day, cursor.fetchone(), write=write)


def register_context_query(user, group_id: int, day: dt.date) -> tuple[str, list]:
    """``register_context``'s statement and parameters (the save sends it together with the rows')."""
    group_t, unit_t, gt_t, staff_t, cal_t, rule_t, day_t, user_t = _tables(
        Group, OrgUnit, GroupTeacher, Staff, CalendarDay, Rule, GroupDay, get_user_model())
    d = connection.ops.adapt_datefield_value(day)
    sql = f"""
        SELECT g.id, g.name, g.school_id, g.school_year_id, g.age_band, u.path, u.name, u.depth,
          EXISTS (SELECT 1 FROM {gt_t} gt JOIN {staff_t} st ON st.id = gt.staff_id
                  WHERE gt.group_id = g.id AND st.user_id = %s),
          (SELECT c.kind FROM {cal_t} c JOIN {unit_t} cu ON cu.id = c.unit_id
            WHERE c.date = %s AND u.path LIKE (cu.path || '%%') ORDER BY cu.depth DESC LIMIT 1),
          (SELECT r.value FROM {rule_t} r LEFT JOIN {unit_t} ru ON ru.id = r.unit_id
            WHERE r.code = %s AND r.effective_from <= %s AND (r.effective_to IS NULL OR r.effective_to >= %s)
              AND (r.unit_id IS NULL OR u.path LIKE (ru.path || '%%'))
            ORDER BY CASE WHEN ru.id IS NULL THEN 0 ELSE ru.depth + 1 END DESC, r.effective_from DESC LIMIT 1),
          gd.id, gd.saved_at, gd.reopened_until, gd.reopened_by_id, gd.reopen_reason, su.full_name, su.username
        FROM {group_t} g
        JOIN {unit_t} u ON u.id = g.school_id
        LEFT JOIN {day_t} gd ON gd.group_id = g.id AND gd.date = %s
        LEFT JOIN {user_t} su ON su.id = gd.saved_by_id
        WHERE g.id = %s"""
    return sql, [user.pk if user is not None else None, d, LOCK_HOUR, d, d, d, group_id]


def register_context_result(user, day: dt.date, found, *, write: bool) -> RegisterContext | None:
    """The context from ``register_context_query``'s row (None: no such group, or not the user's)."""
    if found is None:
        return None
    (gid, name, school_id, year_id, band, path, unit_name, depth, teaches, kind, hour,
     rec_id, saved_at, reopened_until, reopened_by, reason, saved_by_name, saved_by_login) = found
    if not may_take_register(user, school_path=path, teaches=bool(teaches), write=write):
        return None
    unit = OrgUnit(id=school_id, path=path, name=unit_name, depth=depth)
    group = Group(id=gid, name=name, school_year_id=year_id, age_band=band)
    group.school = School(unit=unit)
    record = None
    if rec_id is not None:
        record = DayRecord(rec_id, _aware(saved_at), saved_by_name or saved_by_login or "", _aware(reopened_until),
                           reopened_by, reason or "")
    return RegisterContext(
        group=group, day=day,
        school_day=bool(calc.school_days(day, day, [(day, kind, 0)] if kind else [])),
        lock_hour=Decimal(str(hour)) if hour is not None else DEFAULT_LOCK_HOUR,
        record=record,
        can_write=write or may_take_register(user, school_path=path, teaches=bool(teaches), write=True),
    )


def _count(model, **filters):
    """A correlated COUNT(*) subquery (0 when nothing matches)."""
    sub = (
        model.objects.filter(**filters).order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def register_overview(groups: QuerySet[Group], *, day: dt.date) -> QuerySet[Group]:
    """Groups with the day's figures: enrolled, recorded, present (late included), when saved."""
    enrolled = Enrolment.objects.filter(_enrolled_on(day), group_id=OuterRef("pk")).order_by().annotate(
        n=Func(F("pk"), function="COUNT")).values("n")[:1]
    return groups.select_related("school__unit").annotate(
        n_enrolled=Coalesce(Subquery(enrolled, output_field=IntegerField()), 0),
        n_recorded=_count(Attendance, group_id=OuterRef("pk"), date=day),
        n_present=_count(Attendance, group_id=OuterRef("pk"), date=day, status__in=PRESENT_STATUSES),
        saved_at=Subquery(GroupDay.objects.filter(group_id=OuterRef("pk"), date=day).values("saved_at")[:1]),
    )


# --- attendance rates --------------------------------------------------------------------------------


@dataclass
class RateLine:
    key: int | str
    label: str
    band: str = ""
    present: int = 0
    possible: int = 0
    threshold: Decimal | None = None
    group_id: int | None = None

    @property
    def rate(self) -> float | None:
        return calc.rate(self.present, self.possible)

    @property
    def percent(self) -> float | None:
        r = self.rate
        return None if r is None else round(r * 100, 1)

    @property
    def below(self) -> bool:
        r = self.rate
        return r is not None and self.threshold is not None and Decimal(str(r)) < self.threshold


@dataclass
class RateReport:
    start: dt.date
    end: dt.date
    school_day_count: int
    thresholds: dict[str, Decimal]
    overall: RateLine
    bands: list[RateLine] = field(default_factory=list)
    groups: list[RateLine] = field(default_factory=list)
    children: list[RateLine] = field(default_factory=list)

    @property
    def groups_below(self) -> list[RateLine]:
        return [g for g in self.groups if g.below]


def rate_thresholds(*, school_unit: OrgUnit, on: dt.date) -> dict[str, Decimal]:
    """The national-standard attendance minimums (TT 19/2018 criteria; regulations.md section 6)."""
    rules = rules_in_force([RATE_K5, RATE_OTHER], on=on, unit=school_unit)
    return {
        AgeBand.K5: rules[RATE_K5].value if RATE_K5 in rules else Decimal("0.90"),
        "other": rules[RATE_OTHER].value if RATE_OTHER in rules else Decimal("0.85"),
    }


def _threshold(thresholds: dict[str, Decimal], band: str) -> Decimal:
    return thresholds[AgeBand.K5] if band == AgeBand.K5 else thresholds["other"]


def attendance_rates(*, school: School, start: dt.date, end: dt.date, group: Group | None = None,
                     today: dt.date | None = None) -> RateReport:
    """Attendance rate = present-or-late days / school days the child was enrolled, per child, group and
    school, over ``start``..``end`` (days after today are not counted). Four queries whatever the size.
    """
    unit = school.unit
    end = min(end, today or local_today())
    days = school_days(school=school, start=start, end=end)
    thresholds = rate_thresholds(school_unit=unit, on=end if end >= start else start)
    enrolments = Enrolment.objects.filter(school=school, start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start))
    marks = Attendance.objects.filter(school=school, date__in=days, status__in=PRESENT_STATUSES)
    if group is not None:
        enrolments = enrolments.filter(group=group)
        marks = marks.filter(group=group)
    spans = list(
        enrolments.order_by("group__name", "child__name_folded").values_list(
            "child_id", "child__full_name", "group_id", "group__name", "group__age_band", "start_date", "end_date")
    )
    present = {(c, g): n for c, g, n in marks.values("child_id", "group_id").annotate(n=Count("id"))
               .values_list("child_id", "group_id", "n")}
    possible = calc.count_days_in_ranges(
        days, [(max(s, start), min(e or end, end)) for _c, _n, _g, _gn, _b, s, e in spans])

    children: dict[tuple[int, int], RateLine] = {}
    groups: dict[int, RateLine] = {}
    for (child_id, name, group_id, group_name, band, _s, _e), n_possible in zip(spans, possible, strict=True):
        key = (child_id, group_id)
        line = children.get(key)
        if line is None:
            line = children[key] = RateLine(child_id, name, band, present.get(key, 0), 0,
                                            _threshold(thresholds, band), group_id)
            g = groups.setdefault(group_id, RateLine(group_id, group_name, band, 0, 0, _threshold(thresholds, band),
                                                     group_id))
            g.present += line.present
        line.possible += int(n_possible)
        groups[group_id].possible += int(n_possible)
    k5 = RateLine("k5", "", AgeBand.K5, threshold=thresholds[AgeBand.K5])
    other = RateLine("other", "", "other", threshold=thresholds["other"])
    for g in groups.values():
        target = k5 if g.band == AgeBand.K5 else other
        target.present += g.present
        target.possible += g.possible
    overall = RateLine(school.pk, "", "", k5.present + other.present, k5.possible + other.possible)
    return RateReport(
        start=start, end=end, school_day_count=len(days), thresholds=thresholds, overall=overall,
        bands=[b for b in (k5, other) if b.possible],
        groups=sorted(groups.values(), key=lambda g: g.label),
        children=sorted(children.values(), key=lambda c: (c.label, c.key)) if group is not None else [],
    )


# --- the monthly sheet (bảng theo dõi trẻ đến lớp) ---------------------------------------------------

MARKS = {
    AttendanceStatus.PRESENT: "x",
    AttendanceStatus.LATE: "M",
    AttendanceStatus.EXCUSED: "P",
    AttendanceStatus.UNEXCUSED: "K",
    AttendanceStatus.SICK: "Ô",
}


@dataclass
class SheetRow:
    child_id: int
    full_name: str
    birth_date: dt.date
    marks: list[str]
    counts: dict[str, int]
    possible: int

    @property
    def present(self) -> int:
        return self.counts[AttendanceStatus.PRESENT] + self.counts[AttendanceStatus.LATE]

    @property
    def absent(self) -> int:
        return sum(self.counts[s] for s in ABSENT_STATUSES)

    @property
    def percent(self) -> float | None:
        r = calc.rate(self.present, self.possible)
        return None if r is None else round(r * 100, 1)


@dataclass
class MonthSheet:
    year: int
    month: int
    days: list[dt.date]
    is_school_day: list[bool]
    rows: list[SheetRow]
    day_present: list[int | None]

    @property
    def total_present(self) -> int:
        return sum(r.present for r in self.rows)

    @property
    def total_possible(self) -> int:
        return sum(r.possible for r in self.rows)

    @property
    def percent(self) -> float | None:
        r = calc.rate(self.total_present, self.total_possible)
        return None if r is None else round(r * 100, 1)

    @property
    def school_day_count(self) -> int:
        return sum(self.is_school_day)


def month_sheet(*, group: Group, year: int, month: int, today: dt.date | None = None) -> MonthSheet:
    """Children (rows) x days of the month (columns) with the marks, totals per child and per day.

    Three queries: the school days, the children enrolled at some time in the month, the month's marks.
    """
    first = dt.date(year, month, 1)
    last = dt.date(year, month, pycalendar.monthrange(year, month)[1])
    today = today or local_today()
    days = calc.date_range(first, last)
    open_days = set(school_days(school=group.school, start=first, end=last))
    flags = [d in open_days for d in days]
    spans: dict[int, list] = {}
    for child_id, name, born, s, e in (
        Enrolment.objects.filter(group=group, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .order_by("child__name_folded", "child__birth_date", "child_id", "start_date")
        .values_list("child_id", "child__full_name", "child__birth_date", "start_date", "end_date")
    ):
        spans.setdefault(child_id, [name, born, []])[2].append((s, e))
    marks = {(c, d): s for c, d, s in Attendance.objects.filter(group=group, date__gte=first, date__lte=last)
             .values_list("child_id", "date", "status")}
    rows = []
    day_present = [0 if flag and d <= today else None for flag, d in zip(flags, days, strict=True)]
    for child_id, (name, born, ranges) in spans.items():
        counts = dict.fromkeys(MARKS, 0)
        cells, possible = [], 0
        for i, d in enumerate(days):
            enrolled = any(s <= d and (e is None or d <= e) for s, e in ranges)
            status = marks.get((child_id, d))
            cells.append(MARKS[status] if status is not None else "")
            if status is not None and flags[i]:  # a row on a day since declared off is shown, not counted
                counts[status] += 1
                if status in PRESENT_STATUSES and day_present[i] is not None:
                    day_present[i] += 1
            if enrolled and flags[i] and d <= today:
                possible += 1
        rows.append(SheetRow(child_id, name, born, cells, counts, possible))
    return MonthSheet(year, month, days, flags, rows, day_present)


# --- meal counts -------------------------------------------------------------------------------------


def meal_schools(user) -> QuerySet[School]:
    """Schools whose meal counts ``user`` may read: kitchen staff, principal and vice-principals of the
    school, officers of the units above it (and administrators)."""
    return scoping.restrict_to_roles(School.objects.all(), user, MEAL_ROLES, "unit__path")


def cutoff_hour(*, school_unit: OrgUnit, day: dt.date) -> Decimal:
    rule = rules_in_force([CUTOFF_HOUR], on=day, unit=school_unit).get(CUTOFF_HOUR)
    return rule.value if rule is not None else DEFAULT_CUTOFF_HOUR


def kitchen_cutoff(*, school_unit: OrgUnit, day: dt.date) -> dt.datetime:
    """The moment after which a reported absence no longer saves a meal that day (Rule kitchen_cutoff_hour)."""
    return at_local_hour(day, cutoff_hour(school_unit=school_unit, day=day))


def _semi_boarding_enrolments(school: School) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(school=school, group__school=school, group__semi_boarding=True)


def meal_counts(*, school: School, day: dt.date) -> dict[str, int]:
    """Children expected to eat at ``school`` on ``day``, by the group's age band.

    Children with an open enrolment that day in the school's semi-boarding groups, minus those whose
    absence the kitchen learnt before its cut-off hour: a parent's absence request covering the day made
    before the cut-off (that day or earlier), or the register marking the child absent, saved before the
    cut-off. Empty on a day that is not a school day. Three queries (calendar, rule, one aggregate).
    """
    if not is_school_day(school=school, day=day):
        return {}
    cutoff = kitchen_cutoff(school_unit=school.unit, day=day)
    requested = AbsenceRequest.objects.filter(child_id=OuterRef("child_id"), date_from__lte=day, date_to__gte=day,
                                              requested_at__lt=cutoff)
    marked = Attendance.objects.filter(child_id=OuterRef("child_id"), date=day, status__in=ABSENT_STATUSES,
                                       recorded_at__lt=cutoff)
    rows = (
        _semi_boarding_enrolments(school).filter(_enrolled_on(day))
        .annotate(away=Exists(requested) | Exists(marked))
        .values("group__age_band")
        .annotate(n=Count("child_id", filter=Q(away=False), distinct=True))
        .order_by("group__age_band")
        .values_list("group__age_band", "n")
    )
    return dict(rows)


def meal_forecast(*, school: School, start: dt.date, days: int = 5) -> list[tuple[dt.date, dict[str, int]]]:
    """Expected meals for the next ``days`` school days from ``start``, from enrolment, absence requests,
    the register and the calendar (five queries whatever the number of days)."""
    window_end = start + dt.timedelta(days=days * 3 + 21)  # room for a Tết break
    upcoming = school_days(school=school, start=start, end=window_end)[:days]
    if not upcoming:
        return []
    last = upcoming[-1]
    hour = cutoff_hour(school_unit=school.unit, day=start)
    cutoffs = {d: at_local_hour(d, hour) for d in upcoming}
    eaters = _semi_boarding_enrolments(school)
    placements = [
        calc.Placement(c, band, s, e)
        for c, band, s, e in eaters
        .filter(start_date__lte=last).filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .values_list("child_id", "group__age_band", "start_date", "end_date")
    ]
    notices = [
        calc.AbsenceNotice(c, a, b, at)
        for c, a, b, at in AbsenceRequest.objects.filter(
            child_id__in=eaters.values("child_id"), date_from__lte=last, date_to__gte=start)
        .values_list("child_id", "date_from", "date_to", "requested_at")
    ]
    notices += [
        calc.AbsenceNotice(c, d, d, at)
        for c, d, at in Attendance.objects.filter(
            child_id__in=eaters.values("child_id"), date__gte=start, date__lte=last, status__in=ABSENT_STATUSES
        ).values_list("child_id", "date", "recorded_at")
    ]
    counts = calc.meal_forecast(upcoming, placements, notices, cutoffs)
    return [(d, counts[d]) for d in upcoming]
