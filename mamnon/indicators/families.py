"""Indicator families computed from the records already on main: children, groups and attendance.

Each family is one set of SQL aggregates grouped by school (a fixed number of queries, whatever the
number of schools), registered with ``registry.family``. Stock indicators (children in full-day groups...)
are counted on the window's *stock day* (``services.stock_day``): its last day, or today while it is still
running; a child is in at most one group on a day (one open enrolment), so she is counted once even if she
moved school.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Count, Q, Sum

from mamnon.children.models import AgeBand, Child, ChildStatus, ChildSupport, Enrolment, Group
from mamnon.indicators.registry import SchoolValues, Window, child_list, family, group_detail
from mamnon.indicators.services import stock_day
from mamnon.org.models import School, SchoolYear

KINDER = [AgeBand.K3, AgeBand.K4, AgeBand.K5, AgeBand.MIXED_KINDER]
CHILD_CODES = ("FULLDAY", "FULLDAY_5Y", "ENGLISH", "CLASS_SIZE", "ENR_PUBLIC_SHARE", "INCLUSION",
               "SEMI_BOARDING", "SCHOOL_SIZE")
ATTENDANCE_CODES = ("ATTENDANCE", "ATTENDANCE_5Y")

# For each child-count code: (numerator condition, denominator condition) on an Enrolment row.
# A subquery, not a join through the child: PostgreSQL hashes the few children with a disability once.
_HAS_DISABILITY = Q(child_id__in=ChildSupport.objects.exclude(disability_type="").values("child_id"))
ENROLMENT_COUNTS = {
    "FULLDAY": (Q(group__full_day=True), Q()),
    "FULLDAY_5Y": (Q(group__age_band=AgeBand.K5, group__full_day=True), Q(group__age_band=AgeBand.K5)),
    "ENGLISH": (Q(group__age_band__in=KINDER, group__english=True), Q(group__age_band__in=KINDER)),
    "ENR_PUBLIC_SHARE": (Q(school__ownership=School.Ownership.PUBLIC), Q()),
    "CLASS_SIZE": (Q(), None),
    "INCLUSION": (_HAS_DISABILITY, None),
}


def _enrolled_on(day: dt.date, school_year: str):
    return Enrolment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day, group__school_year__code=school_year,
    )


def _filter_schools(qs, school_ids, field="school_id"):
    return qs if school_ids is None else qs.filter(**{f"{field}__in": list(school_ids)})


def _aggregates(prefix: str, counts: dict) -> dict:
    out = {}
    for code, (num_q, den_q) in counts.items():
        out[f"{prefix}{code}_n"] = Count("id", filter=num_q) if num_q != Q() else Count("id")
        if den_q is not None:
            out[f"{prefix}{code}_d"] = Count("id", filter=den_q) if den_q != Q() else Count("id")
    return out


def _children_sql(n_ids: int) -> str:
    """Per school, children enrolled on a day in groups of a school year, by the group's kind: enrolments are
    counted per group first (a few thousand rows), then the groups' attributes weigh those counts."""
    q = connection.ops.quote_name
    kinder = ", ".join(f"'{b}'" for b in KINDER)
    schools = f"AND e.school_id IN ({', '.join(['%s'] * n_ids)})" if n_ids else ""
    return f"""
        WITH per_group AS (
            SELECT e.group_id, e.school_id, COUNT(*) AS n
            FROM {q('children_enrolment')} e
            WHERE e.start_date <= %(day)s AND (e.end_date IS NULL OR e.end_date >= %(day)s) {schools}
            GROUP BY e.group_id, e.school_id
        ), disabled AS (
            SELECT e.school_id, COUNT(*) AS n
            FROM {q('children_childsupport')} cs
            JOIN {q('children_enrolment')} e ON e.child_id = cs.child_id
            JOIN {q('children_group')} g ON g.id = e.group_id
            WHERE cs.disability_type <> '' AND g.school_year_id = %(year)s
              AND e.start_date <= %(day)s AND (e.end_date IS NULL OR e.end_date >= %(day)s) {schools}
            GROUP BY e.school_id
        )
        SELECT pg.school_id,
               SUM(CASE WHEN g.full_day THEN pg.n ELSE 0 END),
               SUM(pg.n),
               SUM(CASE WHEN g.age_band = '{AgeBand.K5}' AND g.full_day THEN pg.n ELSE 0 END),
               SUM(CASE WHEN g.age_band = '{AgeBand.K5}' THEN pg.n ELSE 0 END),
               SUM(CASE WHEN g.age_band IN ({kinder}) AND g.english THEN pg.n ELSE 0 END),
               SUM(CASE WHEN g.age_band IN ({kinder}) THEN pg.n ELSE 0 END),
               SUM(CASE WHEN s.ownership = '{School.Ownership.PUBLIC}' THEN pg.n ELSE 0 END),
               MAX(COALESCE(d.n, 0))
        FROM per_group pg
        JOIN {q('children_group')} g ON g.id = pg.group_id
        JOIN {q('org_school')} s ON s.unit_id = pg.school_id
        LEFT JOIN disabled d ON d.school_id = pg.school_id
        WHERE g.school_year_id = %(year)s
        GROUP BY pg.school_id
    """


def _children_on(day: dt.date, school_year_id: int, school_ids) -> dict[int, dict[str, int]]:
    ids = [int(i) for i in school_ids] if school_ids is not None else []
    if school_ids is not None and not ids:
        return {}
    sql = _children_sql(len(ids))
    params = {"day": day, "year": school_year_id}
    if ids:  # positional ids inside a named-parameter query: name them
        names = [f"s{k}" for k in range(len(ids))]
        sql = sql.replace(f"IN ({', '.join(['%s'] * len(ids))})", f"IN ({', '.join(f'%({n})s' for n in names)})")
        params.update(zip(names, ids, strict=True))
    keys = ("FULLDAY_n", "FULLDAY_d", "FULLDAY_5Y_n", "FULLDAY_5Y_d", "ENGLISH_n", "ENGLISH_d",
            "ENR_PUBLIC_SHARE_n", "INCLUSION_n")
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    out = {}
    for sid, *values in rows:
        row = dict(zip(keys, (int(v or 0) for v in values), strict=True))
        row["CLASS_SIZE_n"] = row["ENR_PUBLIC_SHARE_d"] = row["FULLDAY_d"]
        out[sid] = row
    return out


@family(*CHILD_CODES, sources=("children.Enrolment", "children.Group", "children.ChildSupport"), stock=True)
def children_family(window: Window, school_ids) -> dict[str, SchoolValues]:
    """Children and groups of the window's school year, three aggregates grouped by school."""
    day = stock_day(window)
    year_id = SchoolYear.objects.filter(code=window.school_year).values_list("id", flat=True).first()
    if window.school_year is None or day is None or year_id is None:
        return {}
    rows = _children_on(day, year_id, school_ids)
    groups = _filter_schools(Group.objects.filter(school_year_id=year_id, active=True), school_ids)
    grows = {r["school_id"]: r for r in groups.values("school_id").annotate(
        groups=Count("id"), semi=Count("id", filter=Q(semi_boarding=True)))}
    disabled = _filter_schools(
        ChildSupport.objects.exclude(disability_type="").filter(
            child__status__in=[ChildStatus.ENROLLED, ChildStatus.TRANSFERRING]), school_ids)
    drows = dict(disabled.values("school_id").annotate(n=Count("child_id")).values_list("school_id", "n"))

    ids = sorted(set(rows) | set(grows) | set(drows))
    out = {}
    for code, (_num, den_q) in ENROLMENT_COUNTS.items():
        if den_q is None:
            continue
        out[code] = SchoolValues.from_rows((s, rows[s][f"{code}_n"], rows[s][f"{code}_d"]) for s in ids if s in rows)
    out["CLASS_SIZE"] = SchoolValues.from_rows(
        (s, rows.get(s, {}).get("CLASS_SIZE_n", 0), grows.get(s, {}).get("groups", 0)) for s in ids)
    out["INCLUSION"] = SchoolValues.from_rows(
        (s, rows.get(s, {}).get("INCLUSION_n", 0), drows.get(s, 0)) for s in ids)
    out["SEMI_BOARDING"] = SchoolValues.from_rows((s, g["semi"], g["groups"]) for s, g in grows.items())
    out["SCHOOL_SIZE"] = SchoolValues.from_rows((s, g["groups"], 1) for s, g in grows.items() if g["groups"])
    return out


@family(*ATTENDANCE_CODES, sources=("attendance.Attendance",), additive=True)
def attendance_family(window: Window, school_ids) -> dict[str, SchoolValues]:
    """Child-days present over child-days registered in the window: one aggregate grouped by school over the
    groups' day counts (``attendance.DayCount``, kept equal to the children's rows by every write)."""
    day = stock_day(window)
    if day is None:
        return {}
    from mamnon.attendance.models import DayCount

    qs = _filter_schools(DayCount.objects.filter(date__gte=window.start, date__lte=day), school_ids)
    k5 = Q(group__age_band=AgeBand.K5)
    rows = list(qs.values("school_id").annotate(
        n=Sum("present"), d=Sum("registered"), n5=Sum("present", filter=k5), d5=Sum("registered", filter=k5),
    ).values_list("school_id", "n", "d", "n5", "d5"))
    return {
        "ATTENDANCE": SchoolValues.from_rows((r[0], r[1], r[2]) for r in rows if r[2]),
        "ATTENDANCE_5Y": SchoolValues.from_rows((r[0], r[3], r[4]) for r in rows if r[4]),
    }


# --- below the school: groups and the children behind a number -------------------------------------------------


@group_detail(*ENROLMENT_COUNTS)
def children_by_group(window: Window, school_id: int) -> dict[str, dict[int, tuple[float, float]]]:
    day = stock_day(window)
    if window.school_year is None or day is None:
        return {}
    qs = _enrolled_on(day, window.school_year).filter(school_id=school_id)
    counts = {c: (n, d if d is not None else Q()) for c, (n, d) in ENROLMENT_COUNTS.items()}
    rows = list(qs.values("group_id").annotate(**_aggregates("", counts)))
    out: dict[str, dict[int, tuple[float, float]]] = {}
    for code in ENROLMENT_COUNTS:
        if code == "CLASS_SIZE":
            out[code] = {r["group_id"]: (r[f"{code}_n"], 1) for r in rows}
        else:
            out[code] = {r["group_id"]: (r[f"{code}_n"], r[f"{code}_d"]) for r in rows}
    return out


@child_list(*ENROLMENT_COUNTS)
def children_behind(code: str, window: Window, school_id: int, group_id: int | None):
    """The children counted in the numerator of ``code`` at the school (or one group) on the stock day."""
    day = stock_day(window)
    if window.school_year is None or day is None:
        return Child.objects.none()
    qs = _enrolled_on(day, window.school_year).filter(school_id=school_id).filter(ENROLMENT_COUNTS[code][0])
    if group_id is not None:
        qs = qs.filter(group_id=group_id)
    return Child.objects.filter(id__in=qs.values("child_id"))


@group_detail(*ATTENDANCE_CODES)
def attendance_by_group(window: Window, school_id: int) -> dict[str, dict[int, tuple[float, float]]]:
    """Per group of the school: child-days present and registered in the window (its groups' day counts)."""
    day = stock_day(window)
    if day is None:
        return {}
    from mamnon.attendance.models import DayCount

    rows = list(DayCount.objects.filter(school_id=school_id, date__gte=window.start, date__lte=day)
                .values("group_id", "group__age_band").annotate(n=Sum("present"), d=Sum("registered"))
                .values_list("group_id", "n", "d", "group__age_band"))
    return {"ATTENDANCE": {g: (float(n), float(d)) for g, n, d, _b in rows if d},
            "ATTENDANCE_5Y": {g: (float(n), float(d)) for g, n, d, band in rows if d and band == AgeBand.K5}}
