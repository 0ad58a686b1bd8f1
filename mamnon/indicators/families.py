"""Indicator families computed from the records already on main: children, groups and attendance.

Each family is one set of SQL aggregates grouped by school (a fixed number of queries, whatever the
number of schools), registered with ``registry.family``. Stock indicators (children in full-day groups...)
are counted on the window's *stock day* (``services.stock_day``): its last day, or today while it is still
running; a child is in at most one group on a day (one open enrolment), so she is counted once even if she
moved school.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import Count, Q, Sum

from mamnon.children.models import AgeBand, Child, ChildStatus, ChildSupport, Enrolment, Group
from mamnon.indicators import registry
from mamnon.indicators.registry import SchoolValues, Window, child_list, family, group_detail
from mamnon.indicators.services import stock_day, stock_days
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


def day_number(column: str) -> str:
    """SQL for a date column's day number, equal to Python's ``date.toordinal()`` (NULL stays NULL)."""
    if connection.vendor == "sqlite":
        return f"CAST(julianday({column}) - 1721424.5 AS INTEGER)"
    return f"({column} - DATE '0001-01-01' + 1)"


def fetch_ints(sql: str, params, width: int) -> np.ndarray:
    """The rows of a query of ``width`` integer columns (no NULL) as one int64 array (rows, width)."""
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    return np.array(rows, dtype=np.int64).reshape(-1, width)


def in_list(column: str, ids) -> tuple[str, list]:
    """``AND column IN (...)`` for a list of school ids (None: no condition)."""
    if ids is None:
        return "", []
    ids = [int(i) for i in ids] or [0]
    return f"AND {column} IN ({', '.join(['%s'] * len(ids))})", ids


def _buckets(column: str, days: tuple[dt.date, ...], *, end: bool) -> tuple[str, list]:
    """SQL placing a date among the sorted stock ``days``: for a start, the first day it is on or before
    (an enrolment that starts then counts from that day on); for an end, the first day after it (it counts
    up to the day before); ``len(days)`` when none (a NULL end: open)."""
    k = len(days)
    op = "<" if end else "<="
    whens = " ".join(f"WHEN {column} {op} %s THEN {i}" for i in range(k))
    null = f"WHEN {column} IS NULL THEN {k} " if end else ""
    return f"CASE {null}{whens} ELSE {k} END", list(days)


@dataclass
class Enrolled:
    """Children enrolled on each stock day of a school year, per (group, school of the enrolment): the
    columns of ``counts`` are the ``days``."""

    days: tuple[dt.date, ...]
    group: np.ndarray
    school: np.ndarray
    counts: np.ndarray  # (pairs, days)

    def on(self, day: dt.date) -> np.ndarray:
        return self.counts[:, self.days.index(day)]


def _count_spans(sql: str, params: list, days: tuple) -> Enrolled:
    """From rows ``(group, school, first day index, day index after the last, n)``: counts per pair and day
    (each row adds n to the days in [first, after) by a running sum of differences)."""
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    k = len(days)
    if not rows:
        return Enrolled(days, np.empty(0, np.int64), np.empty(0, np.int64), np.zeros((0, k), np.int64))
    arr = np.array(rows, dtype=np.int64).reshape(-1, 5)
    arr = arr[arr[:, 2] < arr[:, 3]]  # an enrolment on none of the days
    keys, idx = np.unique((arr[:, 0] << 32) | arr[:, 1], return_inverse=True)  # ids below 2**31
    idx = idx.reshape(-1)
    diff = np.zeros((len(keys), k + 1), np.int64)
    np.add.at(diff, (idx, arr[:, 2]), arr[:, 4])
    np.add.at(diff, (idx, arr[:, 3]), -arr[:, 4])
    return Enrolled(days, keys >> 32, keys & 0xFFFFFFFF, np.cumsum(diff, axis=1)[:, :k])


def _enrolled_query(year_id: int, days: tuple, school_ids, *, disabled: bool) -> Enrolled:
    """One scan of the enrolments of the year's groups, counted per (group, school) for every day at once:
    grouped by the days each enrolment spans (a few rows per group), then summed per day in numpy."""
    q = connection.ops.quote_name
    first, p1 = _buckets("e.start_date", days, end=False)
    after, p2 = _buckets("e.end_date", days, end=True)
    schools, p3 = in_list("e.school_id", school_ids)
    only = (f"AND e.child_id IN (SELECT cs.child_id FROM {q('children_childsupport')} cs "
            f"WHERE cs.disability_type <> '')") if disabled else ""
    sql = f"""
        SELECT e.group_id, e.school_id, {first} AS first_day, {after} AS after_day, COUNT(*)
        FROM {q('children_enrolment')} e JOIN {q('children_group')} g ON g.id = e.group_id
        WHERE g.school_year_id = %s {schools} {only}
        GROUP BY e.group_id, e.school_id, first_day, after_day
    """
    return _count_spans(sql, [*p1, *p2, year_id, *p3], days)


def _ids_key(school_ids):
    return None if school_ids is None else tuple(sorted(int(i) for i in school_ids))


def enrolled(year_id: int, school_year: str, day: dt.date, school_ids, *, disabled: bool = False) -> np.ndarray:
    """Children enrolled on ``day`` in the groups of a school year, per (group, enrolment's school), as
    ``(groups, schools, counts)``; ``disabled``: only children with a disability.

    Inside a refresh (``registry.shared``) the enrolments are read once for all the stock days of the year
    and shared by the families that count them (children, equipment); outside, for the one day.
    """
    days = stock_days(school_year) if registry.is_sharing() else ()
    if day not in days:
        days = (day,)
    table = registry.shared(("enrolled", year_id, days, _ids_key(school_ids), disabled),
                            lambda: _enrolled_query(year_id, days, school_ids, disabled=disabled))
    return table.group, table.school, table.on(day)


def _year_groups(year_id: int):
    """The groups of a school year: ids (sorted), schools, and their kinds as boolean columns."""
    def load():
        rows = list(Group.objects.filter(school_year_id=year_id).order_by("id").values_list(
            "id", "school_id", "age_band", "full_day", "english", "semi_boarding", "active"))
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        return {
            "id": ids, "school": np.array([r[1] for r in rows], dtype=np.int64),
            "full_day": np.array([bool(r[3]) for r in rows], dtype=bool),
            "k5": np.array([r[2] == AgeBand.K5 for r in rows], dtype=bool),
            "kinder": np.array([r[2] in KINDER for r in rows], dtype=bool),
            "english": np.array([bool(r[4]) for r in rows], dtype=bool),
            "semi": np.array([bool(r[5]) for r in rows], dtype=bool),
            "active": np.array([bool(r[6]) for r in rows], dtype=bool),
        }
    return registry.shared(("year_groups", year_id), load)


def _public_schools() -> np.ndarray:
    return registry.shared(("public_schools",), lambda: np.array(sorted(School.objects.filter(
        ownership=School.Ownership.PUBLIC).values_list("unit_id", flat=True)), dtype=np.int64))


def _per_school(school: np.ndarray, columns: dict[str, np.ndarray]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    ids, inv = np.unique(school, return_inverse=True)
    return ids, {k: np.bincount(inv.reshape(-1), weights=v, minlength=len(ids)) for k, v in columns.items()}


def _children_on(day: dt.date, year_id: int, school_year: str, school_ids) -> dict[int, dict[str, int]]:
    """Per school: children enrolled on ``day`` in the year's groups, by the kind of their group, and those of
    them with a disability (schools with children that day only)."""
    groups, schools, n = enrolled(year_id, school_year, day, school_ids)
    on = n > 0
    groups, schools, n = groups[on], schools[on], n[on].astype(np.float64)
    g = _year_groups(year_id)
    at = np.searchsorted(g["id"], groups)
    full, k5, kinder, english = g["full_day"][at], g["k5"][at], g["kinder"][at], g["english"][at]
    public = np.isin(schools, _public_schools())
    ids, sums = _per_school(schools, {
        "FULLDAY_n": n * full, "FULLDAY_d": n, "FULLDAY_5Y_n": n * (k5 & full), "FULLDAY_5Y_d": n * k5,
        "ENGLISH_n": n * (kinder & english), "ENGLISH_d": n * kinder, "ENR_PUBLIC_SHARE_n": n * public})
    _g, dschools, dn = enrolled(year_id, school_year, day, school_ids, disabled=True)
    d_ids, dsum = _per_school(dschools, {"n": dn.astype(np.float64)})
    disabled = dict(zip(d_ids.tolist(), dsum["n"].tolist(), strict=True))
    out = {}
    for i, sid in enumerate(ids.tolist()):
        row = {k: int(v[i]) for k, v in sums.items()}
        row["INCLUSION_n"] = int(disabled.get(sid, 0))
        row["CLASS_SIZE_n"] = row["ENR_PUBLIC_SHARE_d"] = row["FULLDAY_d"]
        out[sid] = row
    return out


def _active_groups(year_id: int, school_ids) -> dict[int, dict[str, int]]:
    g = _year_groups(year_id)
    keep = g["active"] if school_ids is None else g["active"] & np.isin(g["school"], list(school_ids))
    ids, sums = _per_school(g["school"][keep], {"groups": np.ones(int(keep.sum())),
                                                "semi": g["semi"][keep].astype(np.float64)})
    return {sid: {"groups": int(sums["groups"][i]), "semi": int(sums["semi"][i])} for i, sid in enumerate(ids.tolist())}


def _disabled_now(school_ids) -> dict[int, int]:
    """Per school: children with a disability still at school (enrolled or transferring), as they are now."""
    rows = registry.shared(("disabled_now",), lambda: list(
        ChildSupport.objects.exclude(disability_type="").filter(
            child__status__in=[ChildStatus.ENROLLED, ChildStatus.TRANSFERRING])
        .values("school_id").annotate(n=Count("child_id")).values_list("school_id", "n")))
    keep = None if school_ids is None else {int(i) for i in school_ids}
    return {sid: n for sid, n in rows if keep is None or sid in keep}


@family(*CHILD_CODES, sources=("children.Enrolment", "children.Group", "children.ChildSupport"), stock=True)
def children_family(window: Window, school_ids) -> dict[str, SchoolValues]:
    """Children and groups of the window's school year on its stock day. Inside a refresh the enrolments are
    read once for every stock day of the year (``enrolled``), the groups once per year."""
    day = stock_day(window)
    year_id = registry.shared(("year_id", window.school_year), lambda: SchoolYear.objects.filter(
        code=window.school_year).values_list("id", flat=True).first())
    if window.school_year is None or day is None or year_id is None:
        return {}
    rows = _children_on(day, year_id, window.school_year, school_ids)
    grows = _active_groups(year_id, school_ids)
    drows = _disabled_now(school_ids)

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
