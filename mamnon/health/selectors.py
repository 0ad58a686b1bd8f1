"""Reads of the growth-monitoring domain: cut-offs in force, rounds that apply to a school, the entry grid.

Round statistics live in ``mamnon.health.stats``. Access is decided by ``mamnon.core.scoping`` only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from mamnon.calc.nutrition_status import ChangeLimits, Thresholds
from mamnon.children.models import Child, Enrolment, Group
from mamnon.core import clock, scoping
from mamnon.core.roles import OFFICER_ROLES, SCHOOL_MANAGER_ROLES, Role
from mamnon.core.rules import rules_in_force
from mamnon.health.models import HEALTH_READERS, Measurement, MeasurementRound
from mamnon.org.models import OrgUnit, School, SchoolYear

# Who reads round figures (counts and shares, never a child's row): everyone who reads measurements, and the
# offices above the school (regulations: offices see counts).
STATS_READERS = SCHOOL_MANAGER_ROLES | OFFICER_ROLES | {Role.HEALTH_STAFF}
# Who reads the children's rows (names, statuses) of a whole school, and who imports a school's file.
SCHOOL_HEALTH_ROLES = SCHOOL_MANAGER_ROLES | {Role.HEALTH_STAFF}
# Who defines rounds: offices for every school below them, a school's managers and health staff for their school.
ROUND_DEFINERS = OFFICER_ROLES | SCHOOL_MANAGER_ROLES | {Role.HEALTH_STAFF}

THRESHOLD_RULES = {
    "nutrition.low_z": "low", "nutrition.severe_z": "severe",
    "nutrition.whz_overweight": "whz_overweight", "nutrition.whz_obese": "whz_obese",
    "nutrition.baz_overweight": "baz_overweight", "nutrition.baz_obese": "baz_obese",
    "nutrition.switch_months": "switch_months",
}
CHANGE_RULES = {
    "growth_check.height_loss_cm": "height_loss_cm",
    "growth_check.height_gain_cm_month": "height_gain_cm_per_month",
    "growth_check.weight_change_share": "weight_change_share",
}


def local_today() -> dt.date:
    return clock.today()


def thresholds_on(day: dt.date, unit: OrgUnit | None = None) -> Thresholds:
    """The nutrition cut-offs in force on ``day`` for ``unit`` (Rule rows nutrition.*, WHO's when absent)."""
    rows = rules_in_force(THRESHOLD_RULES, on=day, unit=unit)
    return Thresholds(**{name: float(rows[code].value) for code, name in THRESHOLD_RULES.items() if code in rows})


def change_limits_on(day: dt.date, unit: OrgUnit | None = None) -> ChangeLimits:
    rows = rules_in_force(CHANGE_RULES, on=day, unit=unit)
    return ChangeLimits(**{name: float(rows[code].value) for code, name in CHANGE_RULES.items() if code in rows})


def ancestor_ids(path: str) -> list[int]:
    return [int(x) for x in path.strip("/").split("/") if x]


# --- rounds ----------------------------------------------------------------------------------------------


def current_year() -> SchoolYear | None:
    return SchoolYear.objects.filter(is_current=True).first() or SchoolYear.objects.order_by("-start_date").first()


def rounds_for_school(school: School, year: SchoolYear) -> list[MeasurementRound]:
    """The rounds that apply to a school in a year: by number, the one defined closest to the school (a
    school's own round 2 replaces its district's round 2)."""
    path = school.unit.path
    rows = (MeasurementRound.objects.filter(school_year=year, unit_id__in=ancestor_ids(path))
            .select_related("unit", "school_year"))
    best: dict[int, MeasurementRound] = {}
    for r in rows:
        if r.number not in best or r.unit.depth > best[r.number].unit.depth:
            best[r.number] = r
    return [best[n] for n in sorted(best)]


def round_applies_to(rnd: MeasurementRound, school: School) -> bool:
    return rnd.unit_id in ancestor_ids(school.unit.path)


def visible_rounds(user, year: SchoolYear | None = None) -> QuerySet[MeasurementRound]:
    qs = MeasurementRound.objects.for_user(user).select_related("unit", "school_year")
    if year is not None:
        qs = qs.filter(school_year=year)
    return qs.order_by("school_year__start_date", "number", "unit__depth")


def definable_units(user) -> QuerySet[OrgUnit]:
    """Units where ``user`` may define rounds (their own units and everything below)."""
    return scoping.restrict_to_roles(OrgUnit.objects.filter(active=True), user, ROUND_DEFINERS, "path")


def may_define_rounds(user, unit: OrgUnit) -> bool:
    return definable_units(user).filter(pk=unit.pk).exists()


# --- groups and the entry grid ----------------------------------------------------------------------------


def entry_groups(user, *, write: bool = False) -> QuerySet[Group]:
    """Groups whose measurements ``user`` may read (or enter): teachers their groups, school staff all."""
    roles = Measurement.scope_change_roles if write else HEALTH_READERS - {Role.PARENT}
    return scoping.groups_reached(user, roles)


def enrolled_on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


@dataclass
class GridRow:
    child_id: int
    full_name: str
    birth_date: dt.date
    sex: str
    measurement: Measurement | None = None  # this day's (or this round's) row
    previous: Measurement | None = None  # the latest before it
    errors: list[str] = field(default_factory=list)
    posted: dict = field(default_factory=dict)
    saved: object = None  # services.Preview of the stored row, for the grid
    uses_bmi: bool = False

    def age_days(self, day: dt.date) -> int:
        return (day - self.birth_date).days


def grid_rows(group: Group, day: dt.date, rnd: MeasurementRound | None) -> list[GridRow]:
    """The children enrolled in ``group`` on ``day``, each with the round's (or day's) measurement and the one
    before it. Three queries whatever the group's size."""
    children = (Child.objects.filter(enrolments__in=Enrolment.objects.filter(enrolled_on(day), group=group))
                .order_by("name_folded", "birth_date").values_list("id", "full_name", "birth_date", "sex"))
    rows = [GridRow(*c) for c in children]
    ids = [r.child_id for r in rows]
    current = Measurement.objects.filter(child_id__in=ids)
    current = current.filter(round=rnd) if rnd is not None else current.filter(date=day, round__isnull=True)
    by_child = {m.child_id: m for m in current}
    prev = previous_measurements(ids, day, exclude_ids=[m.pk for m in by_child.values()])
    for r in rows:
        r.measurement = by_child.get(r.child_id)
        r.previous = prev.get(r.child_id)
    return rows


def previous_measurements(child_ids, day: dt.date, exclude_ids=()) -> dict[int, Measurement]:
    """Each child's latest measurement strictly before ``day`` (one query)."""
    qs = (Measurement.objects.filter(child_id__in=list(child_ids), date__lt=day).exclude(pk__in=list(exclude_ids))
          .order_by("child_id", "-date"))
    out: dict[int, Measurement] = {}
    for m in qs.only("id", "child_id", "date", "age_days", "weight_kg", "height_cm"):
        out.setdefault(m.child_id, m)
    return out


def child_measurements(user, child_id: int) -> QuerySet[Measurement]:
    return Measurement.objects.for_user(user).filter(child_id=child_id).order_by("date")


def as_float(value: Decimal | None) -> float:
    return float(value) if value is not None else float("nan")


def rule_or(code: str, day: dt.date, unit: OrgUnit | None, default) -> Decimal:
    row = rules_in_force([code], on=day, unit=unit).get(code)
    return row.value if row is not None else Decimal(default)


# --- who reaches which page ---------------------------------------------------------------------------------


def round_units(user) -> QuerySet[OrgUnit]:
    """The units a user defines rounds for: those of her memberships with a defining role (admins: the roots)."""
    if scoping.is_admin(user):
        return OrgUnit.objects.filter(parent__isnull=True, active=True)
    ids = [g.unit_id for g in scoping.grants(user) if g.role in ROUND_DEFINERS]
    return OrgUnit.objects.filter(pk__in=ids, active=True).order_by("path")


def stats_units(user) -> QuerySet[OrgUnit]:
    """Units whose round figures ``user`` reads (their units and everything below)."""
    return scoping.restrict_to_roles(OrgUnit.objects.all(), user, STATS_READERS, "path")


def top_stats_unit(user) -> OrgUnit | None:
    if scoping.is_admin(user):
        return OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()
    ids = [g.unit_id for g in sorted(scoping.grants(user), key=lambda g: len(g.path)) if g.role in STATS_READERS]
    return OrgUnit.objects.filter(pk=ids[0]).first() if ids else None


def _reaches(user, school: School, roles) -> bool:
    return any(school.unit.path.startswith(p) for p in scoping.scope_paths(user, roles))


def may_import(user, school: School) -> bool:
    return scoping.is_admin(user) or _reaches(user, school, SCHOOL_HEALTH_ROLES)


def may_follow_up(user, school: School) -> bool:
    """Children's names and statuses: the school's managers and health staff, and its teachers (their groups)."""
    return scoping.is_admin(user) or _reaches(user, school, SCHOOL_HEALTH_ROLES | {Role.TEACHER})


def follow_up_groups(user, school: School) -> list[int] | None:
    """None: the whole school; otherwise the groups a teacher follows."""
    if scoping.is_admin(user) or _reaches(user, school, SCHOOL_HEALTH_ROLES):
        return None
    return list(entry_groups(user).filter(school=school).values_list("pk", flat=True))
