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
from django.db.models import Count, Q

from mamnon.facilities import selectors
from mamnon.facilities.models import Room
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


# Children enrolled on the window's stock day (its last day, or today while it runs): once per distinct day.
@family("EQUIP_MIN", stock=True)
def equipment_family(window: Window, school_ids: Sequence[int] | None) -> dict[str, SchoolValues]:
    year = school_year_of(window)
    day = stock_day(window, today=selectors.today())
    if year is None or day is None:
        return {"EQUIP_MIN": SchoolValues([], [], [])}
    by_school = selectors.equipment_by_school(year, day, school_ids)
    rows = [(sid, ok, total) for sid, (total, ok) in sorted(by_school.items())]
    return {"EQUIP_MIN": SchoolValues.from_rows(rows)}

