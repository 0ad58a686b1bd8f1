"""Staff indicators (shared/domain/targets-from-seeds.md, "Staff"), each family one aggregate grouped by school.

Codes: T_PER_CRECHE, T_PER_KINDER (teacher assignments per creche group / kindergarten class of the year);
T_QUAL_STD (teachers at or above the standard training level, Luật Giáo dục 2019 Điều 72, the level rule in
force at the window's end), T_UNIV (teachers with a university degree or higher), M_UNIV (managers with a
university degree in preschool pedagogy or higher), PARTY (managers and teachers who are party members);
T_PROF_STD and T_PROF_KHA (teachers whose decided TT 26/2018 rating of the year is Đạt or higher / Khá or
higher, of the teachers rated: the seeds' T_PROF_STD carries both figures, so the second has a code of its
own), M_PRINCIPAL_STD (managers rated Đạt or higher under TT 25/2018, of those rated); STAFF_RATING (count of
staff rated only "hoàn thành nhiệm vụ" in the year); TRAINED (staff with a training in the window, of the
active staff), TRAINED_STEAM (managers and teachers with a STEAM training in the window).

People are the school's active ``org.Staff`` rows (and who joined the school by the window's end); a person
without a ``StaffRecord`` counts as not meeting any qualification. COMPETENCY (job-position competency
framework) has no records yet.
"""

from __future__ import annotations

import numpy as np
from django.db import connection
from django.db.models import Count, F, Q

from mamnon.calc import staff_ratings
from mamnon.children.models import CRECHE_BANDS, Group
from mamnon.core.rules import rule_value
from mamnon.indicators import registry
from mamnon.indicators.families import day_number, fetch_ints, in_list
from mamnon.indicators.periods import school_year_of
from mamnon.indicators.registry import SchoolValues, Window, family
from mamnon.indicators.services import stock_day, year_span
from mamnon.org.models import Staff
from mamnon.staff.models import AnnualRating, StaffRecord, StandardRating, Training, TrainingLevel

TEACHER = Q(position=Staff.Position.TEACHER)
MANAGERS = (Staff.Position.PRINCIPAL, Staff.Position.VICE_PRINCIPAL)
MANAGER = Q(position__in=MANAGERS)


def people_on(day, school_ids):
    """The active staff of schools (all, or ``school_ids``) who had joined their school by ``day``."""
    qs = Staff.objects.filter(unit__level__is_school=True, active=True).filter(
        Q(record__joined_on__isnull=True) | Q(record__joined_on__lte=day))
    if school_ids is not None:
        qs = qs.filter(unit_id__in=list(school_ids))
    return qs


def _split(rows, codes_cols: dict[str, tuple[str, str]]) -> dict[str, SchoolValues]:
    rows = list(rows)
    return {code: SchoolValues.from_rows((r["sid"], r[num], r[den]) for r in rows)
            for code, (num, den) in codes_cols.items()}


def _school_staff(school_ids) -> dict[str, np.ndarray]:
    """The active staff of schools (all, or ``school_ids``) with what the staff families read of their
    record, as aligned columns; read once per refresh (``registry.shared``) for every day and period.

    ``joined``: the day number (``date.toordinal``) the person joined the school, 0 without one; ``level``:
    the training level, -1 without one (below every level, as a missing record meets no qualification).
    """
    def load():
        q = connection.ops.quote_name
        managers = ", ".join(f"'{p}'" for p in MANAGERS)
        schools, params = in_list("s.unit_id", school_ids)
        rows = fetch_ints(f"""
            SELECT s.id, s.unit_id,
                   CASE WHEN s.position = '{Staff.Position.TEACHER}' THEN 1
                        WHEN s.position IN ({managers}) THEN 2 ELSE 0 END,
                   COALESCE({day_number('r.joined_on')}, 0), COALESCE(r.training_level, -1),
                   CASE WHEN r.preschool_pedagogy THEN 1 ELSE 0 END, CASE WHEN r.party_member THEN 1 ELSE 0 END
            FROM {q(Staff._meta.db_table)} s
            JOIN {q('org_orgunit')} u ON u.id = s.unit_id
            JOIN {q('org_orglevel')} l ON l.id = u.level_id
            LEFT JOIN {q(StaffRecord._meta.db_table)} r ON r.staff_id = s.id
            WHERE s.active = %s AND l.is_school = %s {schools}
            ORDER BY s.id
        """, [True, True, *params], 7)
        return {"id": rows[:, 0], "school": rows[:, 1], "teacher": rows[:, 2] == 1, "manager": rows[:, 2] == 2,
                "joined": rows[:, 3], "level": rows[:, 4], "pedagogy": rows[:, 5] == 1, "party": rows[:, 6] == 1}
    return registry.shared(("school_staff", _ids_key(school_ids)), load)


def _ids_key(school_ids):
    return None if school_ids is None else tuple(sorted(int(i) for i in school_ids))


def _on(staff: dict, day) -> np.ndarray:
    """Who of ``staff`` had joined their school by ``day`` (no record, or no date: counted)."""
    return staff["joined"] <= day.toordinal()


def _per_school(school: np.ndarray, columns: dict[str, np.ndarray]) -> dict[str, SchoolValues]:
    """``{code: SchoolValues}`` from boolean columns of people, ``columns[code] = (numerator, denominator)``
    summed by school (every school with someone)."""
    ids, inv = np.unique(school, return_inverse=True)
    inv = inv.reshape(-1)

    def total(mask):
        return np.bincount(inv, weights=mask.astype(np.float64), minlength=len(ids))

    return {code: SchoolValues(ids, total(num), total(den)) for code, (num, den) in columns.items()}


# The staff on the window's stock day (its last day, or today while it runs): once per distinct day.
@family("T_QUAL_STD", "T_UNIV", "M_UNIV", "PARTY", stock=True)
def qualification_family(window: Window, school_ids) -> dict[str, SchoolValues]:
    day = stock_day(window)
    if day is None:
        return {}
    min_level = int(rule_value("staff.qual_min_level", on=day, default=TrainingLevel.COLLEGE))
    staff = _school_staff(school_ids)
    on = _on(staff, day)
    s = {k: v[on] for k, v in staff.items()}
    teacher, manager, level = s["teacher"], s["manager"], s["level"]
    both = teacher | manager
    return _per_school(s["school"], {
        "T_QUAL_STD": (teacher & s["pedagogy"] & (level >= min_level), teacher),
        "T_UNIV": (teacher & (level >= TrainingLevel.UNIVERSITY), teacher),
        "M_UNIV": (manager & s["pedagogy"] & (level >= TrainingLevel.UNIVERSITY), manager),
        "PARTY": (both & s["party"], both),
    })


@family("T_PROF_STD", "T_PROF_KHA", "M_PRINCIPAL_STD", yearly=True)
def standard_rating_family(window: Window, school_ids) -> dict[str, SchoolValues]:
    year = school_year_of(window)
    qs = StandardRating.objects.filter(school_year=year, overall__isnull=False)
    if school_ids is not None:
        qs = qs.filter(school_id__in=list(school_ids))
    teacher = Q(standard=StandardRating.Standard.TEACHER)
    principal = Q(standard=StandardRating.Standard.PRINCIPAL)
    rows = qs.values(sid=F("school_id")).annotate(
        teachers=Count("id", filter=teacher),
        teachers_met=Count("id", filter=teacher & Q(overall__gte=staff_ratings.MET)),
        teachers_good=Count("id", filter=teacher & Q(overall__gte=staff_ratings.GOOD)),
        managers=Count("id", filter=principal),
        managers_met=Count("id", filter=principal & Q(overall__gte=staff_ratings.MET)),
    ).order_by()
    return _split(rows, {"T_PROF_STD": ("teachers_met", "teachers"), "T_PROF_KHA": ("teachers_good", "teachers"),
                         "M_PRINCIPAL_STD": ("managers_met", "managers")})


@family("STAFF_RATING", yearly=True)
def annual_rating_family(window: Window, school_ids) -> dict[str, SchoolValues]:
    year = school_year_of(window)
    qs = AnnualRating.objects.filter(school_year=year, result=AnnualRating.Result.COMPLETED)
    if school_ids is not None:
        qs = qs.filter(school_id__in=list(school_ids))
    rows = qs.values_list("school_id").annotate(n=Count("id")).order_by()
    return {"STAFF_RATING": SchoolValues.from_rows((sid, n, 1) for sid, n in rows)}


@family("T_PER_CRECHE", "T_PER_KINDER", yearly=True)
def group_teachers_family(window: Window, school_ids) -> dict[str, SchoolValues]:
    year = school_year_of(window)
    qs = Group.objects.filter(school_year=year, active=True)
    if school_ids is not None:
        qs = qs.filter(school_id__in=list(school_ids))
    creche = Q(age_band__in=[str(b) for b in CRECHE_BANDS])
    rows = qs.values(sid=F("school_id")).annotate(
        creche_groups=Count("id", distinct=True, filter=creche),
        creche_teachers=Count("assignments", filter=creche),
        kinder_groups=Count("id", distinct=True, filter=~creche),
        kinder_teachers=Count("assignments", filter=~creche),
    ).order_by()
    return _split(rows, {"T_PER_CRECHE": ("creche_teachers", "creche_groups"),
                         "T_PER_KINDER": ("kinder_teachers", "kinder_groups")})


def _trainings(start, end, school_ids) -> dict[str, np.ndarray]:
    """The trainings overlapping [start, end] (of the staff of ``school_ids``): staff, first and last day
    (``date.toordinal``), STEAM or not."""
    def load():
        q = connection.ops.quote_name
        staff = ""
        schools, params = in_list("s.unit_id", school_ids)
        if school_ids is not None:
            staff = f"JOIN {q(Staff._meta.db_table)} s ON s.id = t.staff_id"
        rows = fetch_ints(f"""
            SELECT DISTINCT t.staff_id, {day_number('t.start_date')}, {day_number('t.end_date')},
                   CASE WHEN t.topic = '{Training.Topic.STEAM}' THEN 1 ELSE 0 END
            FROM {q(Training._meta.db_table)} t {staff}
            WHERE t.start_date <= %s AND t.end_date >= %s {schools}
        """, [end, start, *params], 4)
        return {"staff": rows[:, 0], "start": rows[:, 1], "end": rows[:, 2], "steam": rows[:, 3] == 1}
    return registry.shared(("trainings", start, end, _ids_key(school_ids)), load)


@family("TRAINED", "TRAINED_STEAM")
def training_family(window: Window, school_ids) -> dict[str, SchoolValues]:
    """Staff who joined by the window's end; trained: with a training overlapping the window. Inside a refresh
    the staff and the trainings of the whole school year are read once, and each period picks its own."""
    if stock_day(window) is None:  # a period that has not begun has no trainings yet
        return {}
    start, end = window.start, window.end
    if registry.is_sharing() and window.school_year:
        first, last = year_span(window.school_year)
        if first <= start and end <= last:
            start, end = first, last
    staff = _school_staff(school_ids)
    tr = _trainings(start, end, school_ids)
    overlap = (tr["start"] <= window.end.toordinal()) & (tr["end"] >= window.start.toordinal())
    trained = np.isin(staff["id"], tr["staff"][overlap])
    steam = np.isin(staff["id"], tr["staff"][overlap & tr["steam"]])
    on = _on(staff, window.end)
    both = (staff["teacher"] | staff["manager"])[on]
    return _per_school(staff["school"][on], {
        "TRAINED": (trained[on], np.ones(int(on.sum()), dtype=bool)),
        "TRAINED_STEAM": (both & steam[on], both),
    })
