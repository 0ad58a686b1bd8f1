"""Reads of the facilities domain: per-school facts in a few aggregate queries, the TT 13/2020 checks,
equipment status per group and per school (one SQL aggregate), shortfalls.

Nothing here loops over rows to compute: queries aggregate, ``mamnon.calc.facilities`` computes on arrays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from mamnon.calc import facilities as calc
from mamnon.children.models import Enrolment, Group
from mamnon.children.selectors import current_school_year  # noqa: F401  (re-exported for the views)
from mamnon.core import clock, scoping
from mamnon.core.models import Rule
from mamnon.core.roles import SCHOOL_MANAGER_ROLES, Role
from mamnon.facilities.models import VIEW_ROLES, EquipmentItem, FacilityProfile, GroupEquipment, Room
from mamnon.org.models import School, SchoolYear

# A mixed-age group is equipped as the oldest band it takes (assumption, docs/facilities.md).
EQUIPMENT_BAND = {"mixed_creche": "c25_36", "mixed_kinder": "k5"}
RULE_CODES = {
    "land_per_child": "facility.land_per_child",
    "land_per_child_urban": "facility.land_per_child_urban",
    "group_room_per_child": "facility.group_room_per_child",
    "toilet_per_child": "facility.toilet_per_child",
    "group_rooms_per_group": "facility.group_rooms_per_group",
}


def today() -> dt.date:
    return clock.today()


def schools_for(user) -> QuerySet[School]:
    """Schools whose facilities ``user`` reads: as staff of the school or an officer above it (never as a
    parent), or as the officer of the commune the school stands in (core.scoping's commune rule)."""
    qs = scoping.restrict(School.objects.select_related("unit"), user).order_by("unit__name")
    if scoping.is_admin(user):
        return qs
    staff = scoping.restrict_to_roles(School.objects.all(), user, VIEW_ROLES, "unit__path").values("pk")
    communes = [g.unit_id for g in scoping.grants(user) if g.role == Role.COMMUNE_OFFICER]
    return qs.filter(Q(pk__in=staff) | Q(commune_id__in=communes))


def managed_schools(user) -> QuerySet[School]:
    """Schools whose rooms, profile and equipment ``user`` may change: their principal and vice-principals."""
    return scoping.restrict_to_roles(School.objects.select_related("unit"), user, SCHOOL_MANAGER_ROLES,
                                     "unit__path")


def can_manage(user, school_id: int) -> bool:
    return managed_schools(user).filter(pk=school_id).exists()


# --- rules ------------------------------------------------------------------------------------------------


def limits_for(paths: Sequence[str], *, on: dt.date) -> calc.Limits:
    """The TT 13/2020 figures in force on ``on`` for schools with these unit paths, as aligned arrays.

    National rows first; a unit's override applies to every school below it (deeper units win). A few
    queries whatever the number of schools; the overrides are matched with numpy on the paths.
    """
    codes = list(RULE_CODES.values())
    rows = (Rule.objects.filter(code__in=codes, effective_from__lte=on)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
            .select_related("unit").order_by("effective_from"))
    national: dict[str, float] = {}
    overrides: list[tuple[int, str, str, float]] = []
    for rule in rows:
        if rule.unit_id is None:
            national[rule.code] = float(rule.value)  # ordered by date: the newest wins
        else:
            overrides.append((rule.unit.depth, rule.unit.path, rule.code, float(rule.value)))
    path_arr = np.array(list(paths), dtype=str) if len(paths) else np.array([], dtype=str)
    values = {}
    for name, code in RULE_CODES.items():
        arr = np.full(len(path_arr), national.get(code, np.nan))
        for _depth, path, _code, value in sorted(o for o in overrides if o[2] == code):
            arr[np.char.startswith(path_arr, path)] = value
        values[name] = arr
    return calc.Limits(**values)


# --- school facts and checks ---------------------------------------------------------------------------------


def children_on(day: dt.date, school_ids: Sequence[int] | None = None) -> dict[int, int]:
    qs = Enrolment.objects.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
    if school_ids is not None:
        qs = qs.filter(school_id__in=list(school_ids))
    return dict(qs.values("school_id").annotate(n=Count("id")).values_list("school_id", "n"))


def room_totals(school_ids: Sequence[int] | None = None) -> dict[int, dict]:
    """Per school, one aggregate over the rooms in use: counts and areas by kind, kitchens and toilets."""
    K, C = Room.Kind, Room.Construction
    qs = Room.objects.filter(in_use=True)
    if school_ids is not None:
        qs = qs.filter(school_id__in=list(school_ids))
    rows = qs.values("school_id").annotate(
        rooms=Count("id"),
        total_area=Sum("area"),
        group_rooms=Count("id", filter=Q(kind=K.GROUP_ROOM)),
        group_room_area=Sum("area", filter=Q(kind=K.GROUP_ROOM)),
        toilets=Count("id", filter=Q(kind=K.TOILET)),
        toilets_std=Count("id", filter=Q(kind=K.TOILET, meets_standard=True)),
        toilet_area=Sum("area", filter=Q(kind=K.TOILET)),
        kitchens=Count("id", filter=Q(kind=K.KITCHEN)),
        kitchens_one_way=Count("id", filter=Q(kind=K.KITCHEN, one_way=True)),
        kitchens_full=Count("id", filter=Q(kind=K.KITCHEN, one_way=True, clean_water=True, supply_contract=True)),
        function_rooms=Count("id", filter=Q(kind=K.FUNCTION_ROOM)),
        libraries=Count("id", filter=Q(kind=K.LIBRARY)),
        computer_rooms=Count("id", filter=Q(kind=K.COMPUTER_ROOM)),
        meeting_rooms=Count("id", filter=Q(kind=K.ONLINE_MEETING)),
        permanent=Count("id", filter=Q(construction=C.PERMANENT)),
        semi_permanent=Count("id", filter=Q(construction=C.SEMI_PERMANENT)),
        temporary=Count("id", filter=Q(construction=C.TEMPORARY)),
        poor=Count("id", filter=Q(condition=Room.Condition.POOR)),
    )
    return {row.pop("school_id"): row for row in rows}


def groups_per_school(year: SchoolYear | None, school_ids: Sequence[int] | None = None) -> dict[int, int]:
    if year is None:
        return {}
    qs = Group.objects.filter(school_year=year, active=True)
    if school_ids is not None:
        qs = qs.filter(school_id__in=list(school_ids))
    return dict(qs.values("school_id").annotate(n=Count("id")).values_list("school_id", "n"))


@dataclass
class SchoolRow:
    """One school's facility figures (the overview, the roll-up, the .xlsx summary)."""

    school: School
    profile: FacilityProfile | None
    children: int = 0
    groups: int = 0
    rooms: dict = field(default_factory=dict)
    equipment_groups: int = 0
    equipment_meeting: int = 0
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def room(self, key: str):
        value = self.rooms.get(key)
        return value if value is not None else 0

    @property
    def website(self) -> str:
        return self.school.website

    @property
    def grass_share(self) -> float | None:
        p = self.profile
        return float(p.grass_area / p.yard_area) if p and p.yard_area else None


def _warning_messages(codes_hit: dict[str, bool], row: SchoolRow, limits: dict[str, float]) -> list[tuple[str, str]]:
    n = row.children or 0
    messages = {
        calc.LAND_PER_CHILD: lambda: _("Land area %(area)s m² is %(per)s m² per child, below the minimum of "
                                       "%(min)s m² (Nghị định 46/2017, sửa đổi bởi Nghị định 135/2018).") % {
            "area": _fmt(float(row.profile.land_area)), "per": _fmt(float(row.profile.land_area) / n),
            "min": _fmt(limits["land"])},
        calc.GROUP_ROOM_PER_CHILD: lambda: _("Group rooms give %(per)s m² per child, below the minimum of "
                                             "%(min)s m² (Nghị định 135/2018).") % {
            "per": _fmt(float(row.room("group_room_area")) / n), "min": _fmt(limits["group_room_per_child"])},
        calc.TOILET_PER_CHILD: lambda: _("Toilets give %(per)s m² per child, below the minimum of %(min)s m² "
                                         "(TCVN 3907:2011, not verified).") % {
            "per": _fmt(float(row.room("toilet_area")) / n), "min": _fmt(limits["toilet_per_child"])},
        calc.MISSING_GROUP_ROOMS: lambda: _("%(rooms)s group rooms for %(groups)s groups (Thông tư 13/2020: one room "
                                                          "per group).") % {
            "rooms": row.room("group_rooms"), "groups": row.groups},
        calc.NO_KITCHEN: lambda: _("No kitchen in use."),
        calc.NO_FUNCTION_ROOM: lambda: _("No function room (physical or art education)."),
        calc.TEMPORARY_ROOMS: lambda: _("%(n)s rooms are temporary structures.") % {"n": row.room("temporary")},
        calc.POOR_ROOMS: lambda: _("%(n)s rooms are degraded.") % {"n": row.room("poor")},
    }
    return [(code, messages[code]()) for code in calc.SCHOOL_CHECKS if codes_hit.get(code)]


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def school_rows(schools: Sequence[School], *, day: dt.date | None = None,
                year: SchoolYear | None = None) -> list[SchoolRow]:
    """The figures and TT 13/2020 warnings of each school, in a fixed number of queries."""
    day = day or today()
    year = year if year is not None else current_school_year()
    schools = list(schools)
    ids = [s.pk for s in schools]
    profiles = {p.school_id: p for p in FacilityProfile.objects.filter(school_id__in=ids)}
    kids = children_on(day, ids)
    groups = groups_per_school(year, ids)
    rooms = room_totals(ids)
    equip = equipment_by_school(year, day, ids) if year is not None else {}
    rows = []
    for s in schools:
        g_total, g_ok = equip.get(s.pk, (0, 0))
        rows.append(SchoolRow(school=s, profile=profiles.get(s.pk), children=kids.get(s.pk, 0),
                              groups=groups.get(s.pk, 0), rooms=rooms.get(s.pk, {}),
                              equipment_groups=g_total, equipment_meeting=g_ok))
    if not rows:
        return rows

    def col(get):
        return np.array([float(get(r) or 0) for r in rows])

    facts = calc.SchoolFacts(
        children=col(lambda r: r.children), groups=col(lambda r: r.groups),
        urban=np.array([bool(r.profile and r.profile.urban) for r in rows]),
        land_area=col(lambda r: r.profile.land_area if r.profile else 0),
        group_rooms=col(lambda r: r.room("group_rooms")), group_room_area=col(lambda r: r.room("group_room_area")),
        toilet_area=col(lambda r: r.room("toilet_area")), kitchens=col(lambda r: r.room("kitchens")),
        function_rooms=col(lambda r: r.room("function_rooms")), temporary_rooms=col(lambda r: r.room("temporary")),
        poor_rooms=col(lambda r: r.room("poor")),
    )
    limits = limits_for([s.unit.path for s in schools], on=day)
    hits = calc.school_checks(facts, limits)
    land_min = np.where(facts.urban, limits.land_per_child_urban, limits.land_per_child)
    for i, row in enumerate(rows):
        row.warnings = _warning_messages(
            {code: bool(arr[i]) for code, arr in hits.items()}, row,
            {"land": land_min[i], "group_room_per_child": limits.group_room_per_child[i],
             "toilet_per_child": limits.toilet_per_child[i]})
    return rows


def totals(rows: Sequence[SchoolRow]) -> dict:
    """Sums over schools for the roll-up line (counts, never averages of percentages)."""
    keys = ("rooms", "group_rooms", "kitchens", "kitchens_one_way", "kitchens_full", "toilets", "toilets_std",
            "libraries", "computer_rooms", "meeting_rooms", "temporary")
    out = {k: sum(r.room(k) for r in rows) for k in keys}
    out.update(
        schools=len(rows), children=sum(r.children for r in rows), groups=sum(r.groups for r in rows),
        equipment_groups=sum(r.equipment_groups for r in rows),
        equipment_meeting=sum(r.equipment_meeting for r in rows),
        internet_sw=sum(1 for r in rows if r.profile and r.profile.internet and r.profile.management_software),
        website=sum(1 for r in rows if r.school.website),
        with_library=sum(1 for r in rows if r.room("libraries")),
        with_computer_room=sum(1 for r in rows if r.room("computer_rooms")),
        with_meeting_room=sum(1 for r in rows if r.room("meeting_rooms")),
        yard=sum((r.profile.yard_area for r in rows if r.profile), Decimal(0)),
        grass=sum((r.profile.grass_area for r in rows if r.profile), Decimal(0)),
        warnings=sum(len(r.warnings) for r in rows),
    )
    return out


def room_checks(rooms: Sequence[Room], *, day: dt.date) -> dict[int, bool]:
    """Per group room with a group: True when its area per child of the group is below the minimum."""
    rooms = [r for r in rooms if r.kind == Room.Kind.GROUP_ROOM and r.group_id]
    if not rooms:
        return {}
    counts = dict(Enrolment.objects.filter(group_id__in=[r.group_id for r in rooms], start_date__lte=day)
                  .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
                  .values("group_id").annotate(n=Count("id")).values_list("group_id", "n"))
    limits = limits_for([r.school.unit.path for r in rooms], on=day)
    short = calc.room_area_short([float(r.area) for r in rooms], [counts.get(r.group_id, 0) for r in rooms],
                                 limits.group_room_per_child)
    return {r.pk: bool(s) for r, s in zip(rooms, short, strict=True)}


# --- equipment ------------------------------------------------------------------------------------------------


def _band_sql(column: str) -> str:
    cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in EQUIPMENT_BAND.items())
    return f"CASE {column} {cases} ELSE {column} END"


def _equipment_sql(*, by_school: bool, n_ids: int) -> str:
    """Groups of a school year with the number of catalogue items they fall short of, on a day.

    An item is short when usable pieces (quantity - damaged) are fewer than required: ``quantity`` per
    group, or ``quantity`` x children enrolled on the day (usable >= q x n is usable >= ceil(q x n), so
    no rounding is needed in SQL).
    """
    g, e = Group._meta.db_table, Enrolment._meta.db_table
    i, h = EquipmentItem._meta.db_table, GroupEquipment._meta.db_table
    school_filter = f"AND g.school_id IN ({', '.join(['%s'] * n_ids)})" if n_ids else ""
    base = f"""
        WITH kids AS (
            SELECT e.group_id, COUNT(*) AS n FROM {e} e
            WHERE e.start_date <= %s AND (e.end_date IS NULL OR e.end_date >= %s) GROUP BY e.group_id
        ), grp AS (
            SELECT g.id, g.school_id, {_band_sql('g.age_band')} AS band, COALESCE(k.n, 0) AS n
            FROM {g} g LEFT JOIN kids k ON k.group_id = g.id
            WHERE g.school_year_id = %s AND g.active = %s {school_filter}
        ), short AS (
            SELECT grp.id AS group_id, COUNT(*) AS missing
            FROM grp JOIN {i} it ON it.age_band = grp.band AND it.active = %s
            LEFT JOIN {h} q ON q.group_id = grp.id AND q.item_id = it.id
            WHERE COALESCE(q.quantity - q.damaged, 0) <
                  (CASE WHEN it.basis = 'child' THEN it.quantity * grp.n ELSE it.quantity END)
            GROUP BY grp.id
        )"""
    if by_school:
        return base + """
        SELECT grp.school_id, COUNT(*), SUM(CASE WHEN short.missing IS NULL THEN 1 ELSE 0 END)
        FROM grp LEFT JOIN short ON short.group_id = grp.id GROUP BY grp.school_id ORDER BY grp.school_id"""
    return base + """
        SELECT grp.id, grp.school_id, grp.n, COALESCE(short.missing, 0)
        FROM grp LEFT JOIN short ON short.group_id = grp.id ORDER BY grp.id"""


def _equipment_query(year: SchoolYear, day: dt.date, school_ids, *, by_school: bool) -> list[tuple]:
    chunks = [None] if school_ids is None else [list(school_ids)[k:k + 500] for k in range(0, len(school_ids), 500)]
    out: list[tuple] = []
    for chunk in chunks:
        ids = chunk or []
        if chunk is not None and not chunk:
            continue
        sql = _equipment_sql(by_school=by_school, n_ids=len(ids))
        with connection.cursor() as cursor:
            cursor.execute(sql, [day, day, year.pk, True, *ids, True])
            out += cursor.fetchall()
    return out


def equipment_by_school(year: SchoolYear, day: dt.date, school_ids=None) -> dict[int, tuple[int, int]]:
    """Per school: (active groups of the year, groups meeting the minimum list). One SQL aggregate."""
    return {sid: (int(total), int(ok or 0))
            for sid, total, ok in _equipment_query(year, day, school_ids, by_school=True)}


def equipment_by_group(year: SchoolYear, day: dt.date, school_ids=None) -> dict[int, tuple[int, int]]:
    """Per group: (children on the day, catalogue items it falls short of)."""
    return {gid: (int(n), int(missing))
            for gid, _sid, n, missing in _equipment_query(year, day, school_ids, by_school=False)}


@dataclass
class ShortLine:
    item: EquipmentItem
    required: int
    quantity: int
    damaged: int
    short: int

    @property
    def usable(self) -> int:
        return self.quantity - self.damaged


def group_lines(groups: Sequence[Group], *, day: dt.date) -> dict[int, list[ShortLine]]:
    """Every catalogue line of each group's band, with required, held and short pieces (numpy; 3 queries)."""
    groups = list(groups)
    if not groups:
        return {}
    gids = [g.pk for g in groups]
    counts = dict(Enrolment.objects.filter(group_id__in=gids, start_date__lte=day)
                  .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
                  .values("group_id").annotate(n=Count("id")).values_list("group_id", "n"))
    bands = {g.pk: EQUIPMENT_BAND.get(g.age_band, g.age_band) for g in groups}
    items = list(EquipmentItem.objects.filter(active=True, age_band__in=set(bands.values())))
    held = {(gid, iid): (q, d) for gid, iid, q, d in
            GroupEquipment.objects.filter(group_id__in=gids).values_list("group_id", "item_id", "quantity",
                                                                          "damaged")}
    by_band: dict[str, list[EquipmentItem]] = {}
    for it in items:
        by_band.setdefault(it.age_band, []).append(it)
    out: dict[int, list[ShortLine]] = {}
    for g in groups:
        its = by_band.get(bands[g.pk], [])
        if not its:
            out[g.pk] = []
            continue
        qty = np.array([float(it.quantity) for it in its])
        per_child = np.array([it.basis == EquipmentItem.Basis.CHILD for it in its])
        required = calc.required_quantity(qty, per_child, counts.get(g.pk, 0))
        have = np.array([held.get((g.pk, it.pk), (0, 0)) for it in its], dtype=np.int64).reshape(-1, 2)
        short = calc.shortfall(required, have[:, 0] - have[:, 1])
        out[g.pk] = [ShortLine(it, int(r), int(q), int(d), int(s))
                     for it, r, (q, d), s in zip(its, required, have, short, strict=True)]
    return out
