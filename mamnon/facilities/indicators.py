"""Facility indicators of the seeds (shared/domain/targets-from-seeds.md, "Facilities and equipment"),
computed per school; the indicators engine sums numerators and denominators up the tree.

Two families, one SQL aggregate grouped by school each:

* ``facility_family``: over schools, their rooms in use and their facility profile.
    KITCHEN_ONEWAY  kitchens built and used one-way / kitchens (schools without a kitchen are left out)
    TOILET_STD      toilets meeting the standard / toilets
    INTERNET_SW     school connected to the internet and naming its management software / 1
    ONLINE_MEETING  school with an online meeting room / 1
    WEBSITE         school with a website address / 1
    LIBRARY         public school with a library / 1 (non-public schools are left out: seed 001's target
                    is "public schools")
    COMPUTER_ROOM   school with a computer room for children / 1
    GRASS_YARD      grass area / yard area, in m² (schools with no yard recorded are left out)
* ``equipment_family``: EQUIP_MIN, groups of the school year meeting the minimum equipment list / groups.

Rooms and profiles are read as they are now (the facility records keep no dated snapshots besides their
change history); equipment counts children enrolled on the window's last day (today if it is later).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.db import connection
from django.db.models import Count, Q

from mamnon.facilities import selectors
from mamnon.facilities.models import EquipmentItem, Room
from mamnon.indicators import registry
from mamnon.indicators.families import enrolled, in_list
from mamnon.indicators.periods import school_year_of
from mamnon.indicators.registry import SchoolValues, Window, family
from mamnon.indicators.services import stock_day
from mamnon.org.models import School

FACILITY_CODES = ("KITCHEN_ONEWAY", "TOILET_STD", "INTERNET_SW", "ONLINE_MEETING", "WEBSITE", "LIBRARY",
                  "COMPUTER_ROOM", "GRASS_YARD")


# Read as they are now: the same figures for every window of a year, computed once per year.
@family(*FACILITY_CODES, yearly=True)
def facility_family(window: Window, school_ids: Sequence[int] | None) -> dict[str, SchoolValues]:
    K = Room.Kind
    in_use = Q(rooms__in_use=True)
    qs = School.objects.all()
    if school_ids is not None:
        qs = qs.filter(pk__in=list(school_ids))
    rows = list(
        qs.values("pk", "ownership", "website", "facility_profile__internet",
                  "facility_profile__management_software", "facility_profile__yard_area",
                  "facility_profile__grass_area")
        .annotate(
            kitchens=Count("rooms", filter=in_use & Q(rooms__kind=K.KITCHEN)),
            one_way=Count("rooms", filter=in_use & Q(rooms__kind=K.KITCHEN, rooms__one_way=True)),
            toilets=Count("rooms", filter=in_use & Q(rooms__kind=K.TOILET)),
            toilets_std=Count("rooms", filter=in_use & Q(rooms__kind=K.TOILET, rooms__meets_standard=True)),
            meeting=Count("rooms", filter=in_use & Q(rooms__kind=K.ONLINE_MEETING)),
            library=Count("rooms", filter=in_use & Q(rooms__kind=K.LIBRARY)),
            computer=Count("rooms", filter=in_use & Q(rooms__kind=K.COMPUTER_ROOM)),
        )
        .order_by("pk")
    )
    ids = np.array([r["pk"] for r in rows], dtype=np.int64)

    def col(key, cast=float):
        return np.array([cast(r[key] or 0) for r in rows], dtype=np.float64)

    ones = np.ones(len(rows))
    kitchens, toilets = col("kitchens"), col("toilets")
    yard, grass = col("facility_profile__yard_area"), col("facility_profile__grass_area")
    internet_sw = np.array([bool(r["facility_profile__internet"] and (r["facility_profile__management_software"]
                                                                       or "").strip()) for r in rows], dtype=float)
    website = np.array([bool((r["website"] or "").strip()) for r in rows], dtype=float)
    public = np.array([r["ownership"] == School.Ownership.PUBLIC for r in rows], dtype=bool)

    def values(num, den, keep=None):
        keep = np.ones(len(rows), dtype=bool) if keep is None else keep
        return SchoolValues(ids[keep], np.asarray(num)[keep], np.asarray(den)[keep])

    return {
        "KITCHEN_ONEWAY": values(col("one_way"), kitchens, kitchens > 0),
        "TOILET_STD": values(col("toilets_std"), toilets, toilets > 0),
        "INTERNET_SW": values(internet_sw, ones),
        "ONLINE_MEETING": values(col("meeting") > 0, ones),
        "WEBSITE": values(website, ones),
        "LIBRARY": values(col("library") > 0, ones, public),
        "COMPUTER_ROOM": values(col("computer") > 0, ones),
        "GRASS_YARD": values(grass, yard, yard > 0),
    }


def _equipment_lines(year_id: int, school_ids) -> dict[str, np.ndarray]:
    """The year's active groups (sorted ids, schools) and what their equipment allows, whatever the day:
    ``short`` when a per-group catalogue item of their band has fewer usable pieces (quantity - damaged) than
    its quantity, ``most`` the most children the per-child items allow (no per-child item: no limit).

    A per-child item of q pieces is short for n children when usable < q x n, i.e. when n > usable / q, i.e.
    (n a whole number) when n > floor(usable / q): with q in hundredths (2 decimal places), floor(usable x 100
    / (q x 100)) in integer arithmetic, exact. An item asking for no piece is never short (usable >= 0), one
    the group does not hold has 0 usable. So one pass over the holdings of the year's groups (each counted
    against its own band's items) and the catalogue's counts per band are enough, with no group x item join.
    """
    q = connection.ops.quote_name
    band = f"CASE g.age_band {' '.join(f'WHEN {k!r} THEN {v!r}' for k, v in selectors.EQUIPMENT_BAND.items())} " \
           "ELSE g.age_band END"
    schools, params = in_list("g.school_id", school_ids)
    q100 = "CAST(ROUND(it.quantity * 100) AS INTEGER)"
    usable = "(h.quantity - h.damaged)"
    sql = f"""
        SELECT g.id, g.school_id, {band},
               SUM(CASE WHEN it.basis <> 'child' AND it.quantity > 0 AND {usable} >= it.quantity THEN 1 ELSE 0 END),
               SUM(CASE WHEN it.basis = 'child' AND {q100} > 0 THEN 1 ELSE 0 END),
               MIN(CASE WHEN it.basis = 'child' AND {q100} > 0 THEN {usable} * 100 / {q100} END)
        FROM {q('children_group')} g
        LEFT JOIN ({q('facilities_groupequipment')} h
                   JOIN {q('facilities_equipmentitem')} it ON it.id = h.item_id AND it.active = %s)
               ON h.group_id = g.id AND it.age_band = {band}
        WHERE g.school_year_id = %s AND g.active = %s {schools}
        GROUP BY g.id, g.school_id, g.age_band ORDER BY g.id
    """
    with connection.cursor() as cur:
        cur.execute(sql, [True, year_id, True, *params])
        rows = cur.fetchall()
    # per band: per-group items asking for pieces, per-child items asking for pieces
    need: dict[str, list[int]] = {}
    for item_band, basis, quantity in EquipmentItem.objects.filter(active=True).values_list(
            "age_band", "basis", "quantity"):
        counts = need.setdefault(item_band, [0, 0])
        if basis == EquipmentItem.Basis.CHILD and round(quantity * 100) > 0:
            counts[1] += 1
        elif basis != EquipmentItem.Basis.CHILD and quantity > 0:
            counts[0] += 1
    short, most = [], []
    for _gid, _sid, group_band, group_ok, child_held, held_most in rows:
        group_items, child_items = need.get(group_band, (0, 0))
        short.append((group_ok or 0) < group_items)
        limit = np.inf if held_most is None else float(held_most)
        most.append(0.0 if (child_held or 0) < child_items else limit)
    return {"id": np.array([r[0] for r in rows], dtype=np.int64),
            "school": np.array([r[1] for r in rows], dtype=np.int64),
            "short": np.array(short, dtype=bool), "most": np.array(most, dtype=np.float64)}


# Children enrolled on the window's stock day (its last day, or today while it runs): once per distinct day;
# inside a refresh the equipment once per year and the children counted once for all the year's stock days
# (shared with the children family).
@family("EQUIP_MIN", stock=True)
def equipment_family(window: Window, school_ids: Sequence[int] | None) -> dict[str, SchoolValues]:
    year = registry.shared(("school_year_of", window.school_year, window.start, window.end),
                           lambda: school_year_of(window))
    day = stock_day(window)
    if year is None or day is None:
        return {"EQUIP_MIN": SchoolValues([], [], [])}
    ids_key = None if school_ids is None else tuple(sorted(int(i) for i in school_ids))
    lines = registry.shared(("equipment_lines", year.pk, ids_key), lambda: _equipment_lines(year.pk, school_ids))
    groups, _schools, n = enrolled(year.pk, year.code, day, school_ids)
    kids = np.zeros(len(lines["id"]))
    at = np.searchsorted(lines["id"], groups)
    found = (at < len(lines["id"])) & (lines["id"][np.minimum(at, len(lines["id"]) - 1)] == groups)
    np.add.at(kids, at[found], n[found])
    ok = ~lines["short"] & (kids <= lines["most"])
    ids, inv = np.unique(lines["school"], return_inverse=True)
    inv = inv.reshape(-1)
    total = np.bincount(inv, minlength=len(ids)).astype(np.float64)
    good = np.bincount(inv, weights=ok.astype(np.float64), minlength=len(ids))
    return {"EQUIP_MIN": SchoolValues(ids, good, total)}
