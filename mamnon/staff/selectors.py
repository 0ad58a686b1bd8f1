"""Reads of the staff domain: the rules in force, staff lists with their records, standard statuses, norms.

Figures come from ``core.Rule`` rows (mamnon/staff/default_rules.py); computation is in ``mamnon.calc``
(staff_standards, staff_ratings, teacher_norms) on arrays loaded with a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Q, QuerySet

from mamnon.calc import staff_ratings, staff_standards, teacher_norms
from mamnon.children.models import Group, GroupTeacher
from mamnon.children.selectors import current_school_year
from mamnon.core import clock, scoping
from mamnon.core.models import Rule
from mamnon.core.roles import SCHOOL_MANAGER_ROLES
from mamnon.core.rules import rules_in_force
from mamnon.org.models import OrgUnit, School, SchoolYear, Staff
from mamnon.staff.models import MANAGERS_AND_OFFICES, StaffRecord, StandardRating

# Positions the standard training level applies to (Luật Giáo dục 2019 Điều 72: teachers; managers must
# meet the teacher standard too, Thông tư 25/2018).
COVERED_POSITIONS = (Staff.Position.TEACHER, Staff.Position.PRINCIPAL, Staff.Position.VICE_PRINCIPAL)
MANAGER_POSITIONS = (Staff.Position.PRINCIPAL, Staff.Position.VICE_PRINCIPAL)


def today() -> dt.date:
    return clock.today()


# --- rules ---------------------------------------------------------------------------------------------


def _values(prefix_codes, *, on, unit=None) -> dict[str, Rule]:
    return rules_in_force(prefix_codes, on=on, unit=unit)


def standard_rules(*, on: dt.date, unit=None) -> staff_standards.StandardRules:
    codes = ["staff.qual_min_level", "staff.roadmap.service_left_months", "staff.roadmap.end_year",
             *[f"staff.retire.{k}.{s}" for k in ("base_months", "step_months", "cap_months") for s in "MF"],
             "staff.retire.start_year"]
    r = _values(codes, on=on, unit=unit)
    d = staff_standards.StandardRules()
    dr = d.retirement

    def num(code, default):
        return int(r[code].value) if code in r else default

    minimum = r.get("staff.qual_min_level")
    return staff_standards.StandardRules(
        min_level=int(minimum.value) if minimum else d.min_level,
        # The roadmap counts from the day the standard in force took effect (Luật Giáo dục 2019: 01/07/2020).
        law_date=minimum.effective_from if minimum else d.law_date,
        service_left_months=num("staff.roadmap.service_left_months", d.service_left_months),
        roadmap_end=dt.date(num("staff.roadmap.end_year", d.roadmap_end.year), 12, 31),
        retirement=staff_standards.RetirementRules(
            base_male=num("staff.retire.base_months.M", dr.base_male),
            base_female=num("staff.retire.base_months.F", dr.base_female),
            step_male=num("staff.retire.step_months.M", dr.step_male),
            step_female=num("staff.retire.step_months.F", dr.step_female),
            cap_male=num("staff.retire.cap_months.M", dr.cap_male),
            cap_female=num("staff.retire.cap_months.F", dr.cap_female),
            start_year=num("staff.retire.start_year", dr.start_year),
        ),
    )


RULE_PREFIX = {StandardRating.Standard.TEACHER: "tt26", StandardRating.Standard.PRINCIPAL: "tt25"}
DEFAULT_SPEC = {StandardRating.Standard.TEACHER: staff_ratings.TEACHER_TT26,
                StandardRating.Standard.PRINCIPAL: staff_ratings.PRINCIPAL_TT25}


def rating_spec(standard: str, *, on: dt.date, unit=None) -> staff_ratings.StandardSpec:
    """The criteria count, 2/3 share and key criteria of a standard in force on ``on`` (Rule rows)."""
    p = RULE_PREFIX[standard]
    default = DEFAULT_SPEC[standard]
    codes = [f"staff.{p}.criteria", f"staff.{p}.share_num", f"staff.{p}.share_den",
             *[f"staff.{p}.key.{n:02d}" for n in range(1, 31)]]
    r = _values(codes, on=on, unit=unit)
    if f"staff.{p}.criteria" not in r:
        return default
    n = int(r[f"staff.{p}.criteria"].value)
    keys = frozenset(k for k in range(1, n + 1) if (row := r.get(f"staff.{p}.key.{k:02d}")) and row.value)
    return staff_ratings.StandardSpec(
        criteria=n, key=keys,
        share_num=int(r[f"staff.{p}.share_num"].value) if f"staff.{p}.share_num" in r else default.share_num,
        share_den=int(r[f"staff.{p}.share_den"].value) if f"staff.{p}.share_den" in r else default.share_den,
    )


def norm_rules(*, on: dt.date, unit=None) -> teacher_norms.NormRules:
    bands = ("c3_12", "c13_24", "c25_36", "k3", "k4", "k5")
    codes = ["staff.norm.per_creche_group", "staff.norm.per_kinder_class", "staff.norm.single_group",
             *[f"staff.norm.children_per_teacher.{b}" for b in bands], *[f"group_max.{b}" for b in bands]]
    r = _values(codes, on=on, unit=unit)
    d = teacher_norms.NormRules()

    def val(code, default):
        return float(r[code].value) if code in r else default

    return teacher_norms.NormRules(
        per_creche_group=val("staff.norm.per_creche_group", d.per_creche_group),
        per_kinder_class=val("staff.norm.per_kinder_class", d.per_kinder_class),
        single_group=val("staff.norm.single_group", d.single_group),
        group_max={b: val(f"group_max.{b}", d.group_max[b]) for b in bands},
        children_per_teacher={b: val(f"staff.norm.children_per_teacher.{b}", d.children_per_teacher[b])
                              for b in bands},
    )


# --- staff lists ---------------------------------------------------------------------------------------


def school_staff(user, *, action: str = scoping.VIEW) -> QuerySet[Staff]:
    """Staff of schools in the user's scope (offices' own staff are not school staff), with their records.

    ``Staff`` is scoped by org (school staff and offices view it); the HR details come through
    ``StaffRecord``'s own scoping: callers read ``visible_records``.
    """
    return scoping.restrict(Staff.objects.filter(unit__level__is_school=True), user, action).select_related(
        "unit", "record")


def visible_records(user, staff_ids) -> dict[int, StaffRecord]:
    return {r.pk: r for r in scoping.restrict(StaffRecord.objects.filter(pk__in=list(staff_ids)), user)}


def can_view_records(user) -> bool:
    return scoping.is_admin(user) or bool(scoping.scope_paths(user, StaffRecord.scope_view_roles))


def managed_school_ids(user) -> list[int]:
    return [g.unit_id for g in scoping.grants(user) if g.role in SCHOOL_MANAGER_ROLES and g.is_school]


def is_school_manager(user, school_id: int) -> bool:
    return scoping.is_admin(user) or school_id in managed_school_ids(user)


def managed_schools(user) -> QuerySet[School]:
    qs = School.objects.select_related("unit").order_by("unit__name")
    return qs if scoping.is_admin(user) else qs.filter(pk__in=managed_school_ids(user))


@dataclass
class StatusRow:
    status: str
    retirement: dt.date | None


def statuses(staff_rows, records: dict[int, StaffRecord], *, on: dt.date | None = None,
             rules: staff_standards.StandardRules | None = None) -> dict[int, StatusRow]:
    """Each staff member's status against the standard training level (calc on arrays, no query)."""
    on = on or today()
    rules = rules or standard_rules(on=on)
    staff_rows = list(staff_rows)
    if not staff_rows:
        return {}
    recs = [records.get(s.pk) for s in staff_rows]

    def col(attr, default):
        return [getattr(r, attr) if r is not None else default for r in recs]

    def dates(attr):
        return np.array([d if d is not None else "NaT" for d in col(attr, None)], dtype="datetime64[D]")

    birth = dates("birth_date")
    male = np.array([s == "M" for s in col("sex", "F")])
    out = staff_standards.standard_status(
        level=np.array(col("training_level", 0)), pedagogy=np.array(col("preschool_pedagogy", False)),
        hired_on=dates("hired_on"), birth=birth, male=male, in_training=np.array(col("in_upgrade_training", False)),
        covered=np.array([s.position in COVERED_POSITIONS for s in staff_rows]), on=on, rules=rules)
    retire = staff_standards.retirement_dates(birth, male, rules.retirement)
    return {s.pk: StatusRow(str(st), None if np.isnat(r) else r.astype(dt.date))
            for s, st, r in zip(staff_rows, out, retire, strict=True)}


# --- norms ---------------------------------------------------------------------------------------------


@dataclass
class NormRow:
    school_id: int
    name: str
    groups: int
    children: int
    norm: float
    teachers: int  # active teachers on the school's staff
    assigned: int  # distinct teachers assigned to the year's groups

    @property
    def balance(self) -> float:
        """Teachers on staff minus the norm: positive is a surplus, negative a shortage."""
        return round(self.teachers - self.norm, 2)


def school_year_on(day: dt.date) -> SchoolYear | None:
    return SchoolYear.objects.filter(start_date__lte=day, end_date__gte=day).first() or current_school_year()


def norms(school_ids, *, year: SchoolYear, on: dt.date | None = None, unit: OrgUnit | None = None) -> list[NormRow]:
    """Teacher norm against teachers on staff and assigned, per school (a few aggregate queries).

    ``school_ids`` is a list or a queryset of school ids (used as a subquery, however many schools)."""
    subquery = school_ids if isinstance(school_ids, QuerySet) else list(school_ids)
    school_ids = list(subquery.values_list("pk", flat=True)) if isinstance(subquery, QuerySet) else subquery
    on = on or min(max(year.start_date, today()), year.end_date)
    rules = norm_rules(on=on, unit=unit)
    bands = list(
        Group.objects.filter(school_id__in=subquery, school_year=year, active=True)
        .values("school_id", "age_band")
        .annotate(groups=Count("id", distinct=True),
                  children=Count("enrolments", filter=Q(enrolments__end_date__isnull=True)))
        .order_by())
    computed = teacher_norms.school_norms([b["school_id"] for b in bands], [b["age_band"] for b in bands],
                                          [b["groups"] for b in bands], [b["children"] for b in bands], rules)
    norm_by = dict(zip(computed.school_ids.tolist(), computed.norm.tolist(), strict=True))
    groups_by = dict(zip(computed.school_ids.tolist(), computed.groups.tolist(), strict=True))
    children_by: dict[int, int] = {}
    for b in bands:
        children_by[b["school_id"]] = children_by.get(b["school_id"], 0) + b["children"]
    teachers = dict(Staff.objects.filter(unit_id__in=subquery, active=True, position=Staff.Position.TEACHER)
                    .values_list("unit_id").annotate(n=Count("id")).order_by())
    assigned = dict(GroupTeacher.objects.filter(school_id__in=subquery, group__school_year=year,
                                                group__active=True)
                    .values_list("school_id").annotate(n=Count("staff_id", distinct=True)).order_by())
    names = dict(OrgUnit.objects.filter(pk__in=subquery).values_list("pk", "name"))
    return [NormRow(school_id=sid, name=names.get(sid, ""), groups=int(groups_by.get(sid, 0)),
                    children=children_by.get(sid, 0), norm=round(norm_by.get(sid, 0.0), 2),
                    teachers=teachers.get(sid, 0), assigned=assigned.get(sid, 0))
            for sid in sorted(school_ids, key=lambda s: names.get(s, ""))]


def rollup(rows: list[NormRow]) -> NormRow:
    """The sum of the rows (a unit's total: norms and teachers add up, balances follow)."""
    return NormRow(school_id=0, name="", groups=sum(r.groups for r in rows), children=sum(r.children for r in rows),
                   norm=round(sum(r.norm for r in rows), 2), teachers=sum(r.teachers for r in rows),
                   assigned=sum(r.assigned for r in rows))


def schools_under(user, unit: OrgUnit | None = None) -> QuerySet[School]:
    """Schools whose staff figures the user reads: managers their school, officers their area."""
    qs = scoping.restrict_to_roles(School.objects.select_related("unit"), user, MANAGERS_AND_OFFICES, "unit__path")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs
