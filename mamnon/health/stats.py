"""Round statistics: children measured / enrolled and the counts and shares of each nutrition status, per group,
school and every unit above, with the change in percentage points against round 1 of the school year.

Every figure comes from two SQL aggregates grouped by school (or group), whatever the rounds asked for (a round
and round 1 together), and numpy sums up the tree: no query per school and no loop per child. Shares are of the
children with a usable score on that axis (WHO leaves missing and flagged scores out of prevalence);
GROWTH_MONITORED is children measured in the round over children enrolled on the round's reference day (the last
day of the round's month, or today while it runs).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q

from mamnon.calc import periods
from mamnon.children.models import Enrolment
from mamnon.health.models import Measurement, MeasurementRound, Status
from mamnon.health.selectors import enrolled_on
from mamnon.org.models import OrgUnit, School, SchoolYear

LOW = (Status.MODERATE, Status.SEVERE)
# key: (axis field, statuses counted); the denominators are the rows assessed on that axis.
COUNTS = {
    "underweight": ("wfa_status", LOW), "underweight_severe": ("wfa_status", (Status.SEVERE,)),
    "stunting": ("hfa_status", LOW), "stunting_severe": ("hfa_status", (Status.SEVERE,)),
    "wasting": ("wfh_status", LOW), "wasting_severe": ("wfh_status", (Status.SEVERE,)),
    "overweight": ("wfh_status", (Status.OVERWEIGHT, Status.OBESE)), "obese": ("wfh_status", (Status.OBESE,)),
}
ASSESSED = {"wfa_status": "wfa_assessed", "hfa_status": "hfa_assessed", "wfh_status": "wfh_assessed"}
DENOMINATOR = {k: ASSESSED[axis] for k, (axis, _s) in COUNTS.items()}
FIELDS = ("enrolled", "measured", *ASSESSED.values(), *COUNTS)
# The indicator codes (targets-from-seeds.md) and the counts they are read from.
INDICATORS = {
    "GROWTH_MONITORED": ("measured", "enrolled"), "UNDERWEIGHT": ("underweight", "wfa_assessed"),
    "STUNTING": ("stunting", "hfa_assessed"), "WASTING": ("wasting", "wfh_assessed"),
    "OVERWEIGHT": ("overweight", "wfh_assessed"), "OBESE": ("obese", "wfh_assessed"),
}
SHARE_KEYS = ("measured", *COUNTS)


def reference_day(year_code: str, number: int, today: dt.date | None = None) -> dt.date:
    """The day enrolment is counted on: the last day of the round's month (periods: 2023-2024/R1 is September),
    or today while that month runs."""
    p = periods.parse_period(f"{year_code}/R{number}")
    return today if today is not None and p.start <= today < p.end else p.end


def _aggregates() -> dict:
    out = {"measured": Count("id")}
    for axis, name in ASSESSED.items():
        out[name] = Count("id", filter=Q(**{f"{axis}__gt": Status.NOT_ASSESSED}))
    for key, (axis, statuses) in COUNTS.items():
        out[key] = Count("id", filter=Q(**{f"{axis}__in": list(statuses)}))
    return out


@dataclass
class Counts:
    """Per key (``FIELDS``) a float array aligned with ``ids`` (schools or groups)."""

    ids: np.ndarray
    values: dict[str, np.ndarray]

    def get(self, key: str) -> np.ndarray:
        return self.values[key]


def counts(year: SchoolYear | str, number: int, *, by: str = "school", school_ids=None, group_ids=None,
           today: dt.date | None = None) -> Counts:
    """Measurements of round ``number`` of ``year`` and enrolments on its reference day, grouped by school
    (``by="school"``) or group (``by="group"``)."""
    return counts_rounds(year, (number,), by=by, school_ids=school_ids, group_ids=group_ids, today=today)[number]


def counts_rounds(year: SchoolYear | str, numbers, *, by: str = "school", school_ids=None, group_ids=None,
                  today: dt.date | None = None) -> dict[int, Counts]:
    """``counts`` of several rounds at once (a round and round 1, for the change in points) in two aggregate
    queries whatever their number: the measurements grouped by school (or group) and round, and the enrolments
    grouped by school (or group) with one filtered count per round's reference day."""
    code = year if isinstance(year, str) else year.code
    numbers = sorted(set(numbers))
    key = "school_id" if by == "school" else "group_id"
    year_id = year.pk if isinstance(year, SchoolYear) else SchoolYear.objects.filter(code=code).values_list(
        "pk", flat=True).first()
    round_number = dict(MeasurementRound.objects.filter(school_year_id=year_id, number__in=numbers)
                        .values_list("pk", "number"))
    days = [reference_day(code, n, today) for n in numbers]
    meas = Measurement.objects.filter(round_id__in=list(round_number))
    enr = Enrolment.objects.filter(Q(start_date__lte=max(days)) & (Q(end_date__isnull=True) |
                                                                   Q(end_date__gte=min(days))),
                                   group__school_year_id=year_id)
    if school_ids is not None:
        school_ids = list(school_ids)
        meas, enr = meas.filter(school_id__in=school_ids), enr.filter(school_id__in=school_ids)
    if group_ids is not None:
        group_ids = list(group_ids)
        meas, enr = meas.filter(group_id__in=group_ids), enr.filter(group_id__in=group_ids)
    aggregates = _aggregates()
    names = list(aggregates)
    mrows = list(meas.order_by().values(key, "round_id").annotate(**aggregates)
                 .values_list(key, "round_id", *names)) if round_number else []
    on_day = {f"d{i}": Count("id", filter=enrolled_on(day)) for i, day in enumerate(days)}
    erows = list(enr.order_by().values(key).annotate(**on_day).values_list(key, *on_day))
    ids = np.array(sorted({r[0] for r in mrows if r[0] is not None} | {r[0] for r in erows}), dtype=np.int64)
    m = np.array([r for r in mrows if r[0] is not None], dtype=np.float64).reshape(-1, len(names) + 2)
    e = np.array(erows, dtype=np.int64).reshape(-1, len(days) + 1)
    if len(m):
        m[:, 1] = [round_number[int(r)] for r in m[:, 1]]
    out = {}
    for i, n in enumerate(numbers):
        values = {k: np.zeros(len(ids)) for k in FIELDS}
        mine = m[m[:, 1] == n]
        pos = np.searchsorted(ids, mine[:, 0].astype(np.int64))
        for j, name in enumerate(names, 2):
            np.add.at(values[name], pos, mine[:, j])  # a school can have its own round n beside its office's
        values["enrolled"][np.searchsorted(ids, e[:, 0])] = e[:, i + 1]
        out[n] = Counts(ids, values)
    return out


def shares(values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Percentages (NaN where the denominator is 0): measured of enrolled, each status of those assessed."""
    out = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        den = values["enrolled"]
        out["measured"] = np.where(den > 0, 100.0 * values["measured"] / den, np.nan)
        for k in COUNTS:
            den = values[DENOMINATOR[k]]
            out[k] = np.where(den > 0, 100.0 * values[k] / den, np.nan)
    return out


# --- up the tree --------------------------------------------------------------------------------------------


@dataclass
class Row:
    unit_id: int | None
    name: str
    values: dict = field(default_factory=dict)  # counts
    shares: dict = field(default_factory=dict)  # percentages
    change: dict = field(default_factory=dict)  # percentage points against round 1
    is_school: bool = False


@dataclass
class Table:
    rows: list[Row]
    total: Row
    number: int
    year: str


def _school_index(parent: OrgUnit, schools: list[tuple[int, str]]) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """For each school below ``parent``: its id and the index of the child unit of ``parent`` it lies under."""
    depth = parent.path.count("/") - 1
    child_ids = []
    pos: dict[int, int] = {}
    sid, idx = [], []
    for school_id, path in schools:  # a loop over schools (hundreds), not children
        parts = path.strip("/").split("/")
        cid = int(parts[depth + 1]) if len(parts) > depth + 1 else int(parts[-1])
        if cid not in pos:
            pos[cid] = len(child_ids)
            child_ids.append(cid)
        sid.append(school_id)
        idx.append(pos[cid])
    return np.array(sid, dtype=np.int64), np.array(idx, dtype=np.int64), child_ids


def _sum_into(c: Counts, school_ids: np.ndarray, index: np.ndarray, n: int) -> dict[str, np.ndarray]:
    out = {k: np.zeros(n) for k in FIELDS}
    if not len(c.ids) or not len(school_ids):
        return out
    order = np.argsort(school_ids)
    found = np.searchsorted(school_ids[order], c.ids)
    found = np.clip(found, 0, len(school_ids) - 1)
    ok = school_ids[order][found] == c.ids
    target = index[order][found[ok]]
    for k in FIELDS:
        np.add.at(out[k], target, c.values[k][ok])
    return out


def _rows(ids, names, vals, first, school_flags=None) -> list[Row]:
    sh, sh1 = shares(vals), shares(first)
    rows = []
    for i, uid in enumerate(ids):
        rows.append(Row(
            unit_id=uid, name=names.get(uid, str(uid)),
            values={k: int(vals[k][i]) for k in FIELDS},
            shares={k: _num(sh[k][i]) for k in SHARE_KEYS},
            change={k: _num(sh[k][i] - sh1[k][i]) for k in SHARE_KEYS},
            is_school=bool(school_flags.get(uid)) if school_flags else False,
        ))
    return rows


def _num(x) -> float | None:
    return None if x != x else round(float(x), 2)


def _total(vals: dict, first: dict) -> tuple[dict, dict]:
    return ({k: np.array([v.sum()]) for k, v in vals.items()}, {k: np.array([v.sum()]) for k, v in first.items()})


def unit_table(parent: OrgUnit, year: str, number: int, *, today: dt.date | None = None) -> Table:
    """One row per child unit of ``parent`` (or per school), each summing the schools below it, and the total.

    Queries: the schools below ``parent`` and their names (2), and two aggregates for the round and for round 1.
    """
    schools = list(School.objects.filter(unit__path__startswith=parent.path).values_list("unit_id", "unit__path"))
    if parent.is_school:
        sid, idx, child_ids = np.array([parent.pk]), np.array([0]), [parent.pk]
    else:
        sid, idx, child_ids = _school_index(parent, schools)
    ids = sid.tolist()
    both = counts_rounds(year, (number, 1), school_ids=ids, today=today)
    cur, first = both[number], both[1]
    vals = _sum_into(cur, sid, idx, len(child_ids))
    vals1 = _sum_into(first, sid, idx, len(child_ids))
    info = dict(OrgUnit.objects.filter(pk__in=child_ids).values_list("pk", "name"))
    flags = dict(OrgUnit.objects.filter(pk__in=child_ids).values_list("pk", "level__is_school"))
    rows = _rows(child_ids, info, vals, vals1, flags)
    rows.sort(key=lambda r: r.name)
    tv, tf = _total(vals, vals1)
    total = _rows([parent.pk], {parent.pk: parent.name}, tv, tf)[0]
    return Table(rows, total, number, year)


def group_table(school: School, year: str, number: int, *, group_ids=None, today: dt.date | None = None) -> Table:
    """One row per group of a school (optionally only ``group_ids``) and the school's total."""
    from mamnon.children.models import Group

    groups = Group.objects.filter(school=school, school_year__code=year)
    if group_ids is not None:
        groups = groups.filter(pk__in=group_ids)
    names = dict(groups.values_list("pk", "name"))
    gids = sorted(names)
    both = counts_rounds(year, (number, 1), by="group", school_ids=[school.pk], group_ids=gids, today=today)
    cur, first = both[number], both[1]
    gid_arr = np.array(gids, dtype=np.int64)
    index = np.arange(len(gids))
    vals, vals1 = _sum_into(cur, gid_arr, index, len(gids)), _sum_into(first, gid_arr, index, len(gids))
    rows = _rows(gids, names, vals, vals1)
    rows.sort(key=lambda r: r.name)
    tv, tf = _total(vals, vals1)
    return Table(rows, _rows([school.pk], {school.pk: school.unit.name}, tv, tf)[0], number, year)


def school_values(year: str, number: int, school_ids=None, today: dt.date | None = None) -> dict[str, tuple]:
    """Per indicator code: (school ids, numerators, denominators), as the indicator family returns them."""
    c = counts(year, number, school_ids=school_ids, today=today)
    return {code: (c.ids, c.values[num], c.values[den]) for code, (num, den) in INDICATORS.items()}


# --- follow-up list -----------------------------------------------------------------------------------------


@dataclass
class FollowUp:
    child_id: int
    full_name: str
    group: str
    points: list  # per round number: (wfa, hfa, wfh, waz, haz, whz_or_baz) or None
    latest: dict
    became: bool  # normal in the child's first round of the year, malnourished or overweight in a later one
    trend: str  # "better", "worse", "same"


def _bad(wfa, hfa, wfh) -> bool:
    return wfa in LOW or hfa in LOW or wfh in (*LOW, Status.OVERWEIGHT, Status.OBESE)


def follow_up(school: School, year: str, *, group_ids=None) -> list[FollowUp]:
    """Children of ``school`` malnourished or overweight in their latest round of ``year`` (or in any earlier
    round), with their statuses per round and the trend of their worst axis. Two queries."""
    bad = (Q(wfa_status__in=LOW) | Q(hfa_status__in=LOW) | Q(wfh_status__in=[*LOW, Status.OVERWEIGHT, Status.OBESE]))
    base = Measurement.objects.filter(school=school, round__school_year__code=year)
    if group_ids is not None:
        base = base.filter(group_id__in=group_ids)
    ids = base.filter(bad).values("child_id")
    rows = (base.filter(child_id__in=ids).order_by("child__name_folded", "child_id", "round__number")
            .values_list("child_id", "child__full_name", "group__name", "round__number", "wfa_status", "hfa_status",
                         "wfh_status", "waz", "haz", "whz", "baz", "age_days"))
    out: dict[int, FollowUp] = {}
    for cid, name, gname, n, wfa, hfa, wfh, waz, haz, whz, baz, age in rows:
        f = out.get(cid)
        if f is None:
            f = out[cid] = FollowUp(cid, name, gname or "", [None, None, None], {}, False, "same")
        axis = baz if age / 30.4375 >= 60 else whz
        if 1 <= n <= 3:
            f.points[n - 1] = (wfa, hfa, wfh, waz, haz, axis)
        f.group = gname or f.group
        f.latest = {"number": n, "wfa": wfa, "hfa": hfa, "wfh": wfh, "waz": waz, "haz": haz, "axis": axis}
    for f in out.values():
        pts = [p for p in f.points if p is not None]
        last = pts[-1]
        f.became = not _bad(*pts[0][:3]) and any(_bad(*p[:3]) for p in pts[1:])
        f.trend = _trend(pts[0], last) if len(pts) > 1 else "same"
    return list(out.values())


SEVERITY = {Status.MODERATE: 2, Status.SEVERE: 3, Status.OVERWEIGHT: 2, Status.OBESE: 3}


def _severity(p) -> int:
    return max(SEVERITY.get(x, 0) for x in p[:3])


def _trend(first, last) -> str:
    a, b = _severity(first), _severity(last)
    return "better" if b < a else "worse" if b > a else "same"
