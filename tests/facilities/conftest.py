"""A hand-built facilities scenario on the shared world and classroom (tests/conftest.py).

Children on DAY: S1a 4 (G1 k5: 3, G2 c25_36: 1), S1b 1 (G3 k4), S2 1 (G4 k3). Every figure the tests
expect is worked out by hand from the table below, never from the code.

S1a  profile: land 40 m², yard 100, grass 60, internet + software, website      rooms: group room 5 m² (G1),
     kitchen one-way + clean water + contract, toilets 2 m² (standard) + 1 m² (not), library, office (temporary)
S1b  profile: land 0, yard 50, grass 0, internet without software, no website  rooms: group room 30 m² (G3),
     kitchen not one-way, toilet 0.3 m² (standard), computer room, function room (temporary, degraded)
S2   no profile, website on the school                                          rooms: online meeting room 20 m²

Equipment list (test items): k5 A 2 per group, k5 B 1 per child, k5 E 0.5 per child, c25_36 C 1 per group,
k4 D 1 per group; nothing for k3. Holdings: G1 A 2, B 3 (1 damaged), E 2; G2 C 1; G3 nothing; G4 nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from mamnon.facilities.models import EquipmentItem, FacilityProfile, GroupEquipment, Room
from mamnon.org.models import Site

DAY = dt.date(2023, 10, 2)


@dataclass
class Facilities:
    classroom: object
    rooms: dict = field(default_factory=dict)
    items: dict = field(default_factory=dict)

    @property
    def world(self):
        return self.classroom.world


def build_facilities(c) -> Facilities:
    w = c.world
    f = Facilities(classroom=c)
    s1a, s1b, s2 = w.schools["S1a"], w.schools["S1b"], w.schools["S2"]
    FacilityProfile.objects.create(school=s1a, land_area=40, yard_area=100, grass_area=60, internet=True,
                                   management_software="SMAS", cameras=4)
    FacilityProfile.objects.create(school=s1b, land_area=0, yard_area=50, grass_area=0, internet=True)
    s1a.website = "https://zz-s1a.example.edu.vn"
    s1a.save(update_fields=["website"])
    s2.website = "https://zz-s2.example.edu.vn"
    s2.save(update_fields=["website"])
    K, C = Room.Kind, Room.Construction

    def room(key, school, kind, area, **kw):
        site = Site.objects.get(school=school, is_main=True)
        f.rooms[key] = Room.objects.create(school=school, site=site, name=w.marker(f"room-{key}"), kind=kind,
                                           area=Decimal(str(area)), **kw)

    room("a-group", s1a, K.GROUP_ROOM, 5, group=c.groups["G1"])
    room("a-kitchen", s1a, K.KITCHEN, 20, one_way=True, clean_water=True, supply_contract=True)
    room("a-toilet1", s1a, K.TOILET, 2, meets_standard=True)
    room("a-toilet2", s1a, K.TOILET, 1)
    room("a-library", s1a, K.LIBRARY, 30)
    room("a-office", s1a, K.OFFICE, 12, construction=C.TEMPORARY)
    room("b-group", s1b, K.GROUP_ROOM, 30, group=c.groups["G3"])
    room("b-kitchen", s1b, K.KITCHEN, 15)
    room("b-toilet", s1b, K.TOILET, "0.3", meets_standard=True)
    room("b-computer", s1b, K.COMPUTER_ROOM, 25)
    room("b-function", s1b, K.FUNCTION_ROOM, 60, construction=C.TEMPORARY, condition=Room.Condition.POOR)
    room("s2-meeting", s2, K.ONLINE_MEETING, 20)

    def item(key, band, qty, basis="group"):
        f.items[key] = EquipmentItem.objects.create(code=f"T-{key}", name=f"Test item {key}", age_band=band,
                                                    category="teaching", quantity=Decimal(str(qty)), basis=basis)

    item("A", "k5", 2)
    item("B", "k5", 1, "child")
    item("E", "k5", "0.5", "child")
    item("C", "c25_36", 1)
    item("D", "k4", 1)
    g1, g2 = c.groups["G1"], c.groups["G2"]
    for group, key, qty, damaged in ((g1, "A", 2, 0), (g1, "B", 3, 1), (g1, "E", 2, 0), (g2, "C", 1, 0)):
        GroupEquipment.objects.create(school=group.school, group=group, item=f.items[key], quantity=qty,
                                      damaged=damaged)
    return f


@pytest.fixture
def facilities(classroom) -> Facilities:
    return build_facilities(classroom)
