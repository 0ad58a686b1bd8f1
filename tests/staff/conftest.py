"""A small staff scenario on the shared world (see tests/conftest.py), with answers worked out by hand.

School year 2023-2024 (current). Besides the world's one teacher per school (``staff-<school>``, no record):

S1a  T1 teacher, cao đẳng sư phạm mầm non, party member          meets
     T2 teacher, đại học sư phạm mầm non, party member           meets, university
     T3 teacher, trung cấp sư phạm mầm non                        below
     T4 teacher without a record                                  below
     P  principal (account principal1a), đại học SP mầm non, party member
     V  vice-principal, cao đẳng SP mầm non
     K  cook, no record
     Groups: C (25-36 months, 27 children; T1 T2 T3), A5 (5-6 years, 35 children; T1 T4), A4 (4-5 years, 10, none)
S1b  W1 teacher, đại học SP mầm non. Group B3 (3-4 years, 12 children; W1 and staff-S1b)
S2   X1 teacher, cao đẳng in accounting (not preschool pedagogy)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from mamnon.children.models import AgeBand, Child, Enrolment, Group, GroupTeacher
from mamnon.org import services as org_services
from mamnon.org.models import Staff
from mamnon.staff import services
from mamnon.staff.models import TrainingLevel

D = dt.date
POS = Staff.Position


@dataclass
class Scenario:
    world: object
    year: object
    staff: dict = field(default_factory=dict)
    groups: dict = field(default_factory=dict)


def _person(sc, key, school_key, position, *, user=None, **record):
    w = sc.world
    rec = services.record_save(actor=None, school=w.schools[school_key], full_name=w.marker(f"person-{key}"),
                               position=position, **record)
    staff = rec.staff
    if user is not None:
        staff.user = w.user(user)
        staff.save(update_fields=["user"])
    sc.staff[key] = staff
    return staff


def _bare(sc, key, school_key, position):
    sc.staff[key] = Staff.objects.create(unit=sc.world.units[school_key], full_name=sc.world.marker(f"person-{key}"),
                                         position=position)
    return sc.staff[key]


def _group(sc, key, school_key, band, children, teachers):
    w = sc.world
    g = Group.objects.create(school=w.schools[school_key], school_year=sc.year, name=w.marker(f"group-{key}"),
                             age_band=band)
    sc.groups[key] = g
    kids = Child.objects.bulk_create([Child(school=g.school, full_name=f"Trẻ {key} {i}", name_folded=f"tre {i}",
                                            birth_date=D(2020, 1, 1), sex="F") for i in range(children)])
    Enrolment.objects.bulk_create([Enrolment(child=k, group=g, school=g.school, start_date=sc.year.start_date)
                                   for k in kids])
    for t in teachers:
        GroupTeacher.objects.create(group=g, staff=t, school=g.school)
    return g


def build_scenario(w) -> Scenario:
    year = org_services.school_year_create(start_year=2023, current=True)
    sc = Scenario(world=w, year=year)
    sc.staff["T0a"], sc.staff["T0b"], sc.staff["T0c"] = w.staff["S1a"], w.staff["S1b"], w.staff["S2"]
    common = dict(birth_date=D(1990, 4, 2), hired_on=D(2012, 9, 1), sex="F")
    _person(sc, "T1", "S1a", POS.TEACHER, training_level=TrainingLevel.COLLEGE, preschool_pedagogy=True,
            party_member=True, user="teacher1a", **common)
    _person(sc, "T2", "S1a", POS.TEACHER, training_level=TrainingLevel.UNIVERSITY, preschool_pedagogy=True,
            party_member=True, **common)
    _person(sc, "T3", "S1a", POS.TEACHER, training_level=TrainingLevel.INTERMEDIATE, preschool_pedagogy=True,
            **common)
    _bare(sc, "T4", "S1a", POS.TEACHER)
    _person(sc, "P", "S1a", POS.PRINCIPAL, training_level=TrainingLevel.UNIVERSITY, preschool_pedagogy=True,
            party_member=True, user="principal1a", **common)
    _person(sc, "V", "S1a", POS.VICE_PRINCIPAL, training_level=TrainingLevel.COLLEGE, preschool_pedagogy=True,
            **common)
    _bare(sc, "K", "S1a", POS.COOK)
    _person(sc, "W1", "S1b", POS.TEACHER, training_level=TrainingLevel.UNIVERSITY, preschool_pedagogy=True, **common)
    _person(sc, "X1", "S2", POS.TEACHER, training_level=TrainingLevel.COLLEGE, major="Kế toán", **common)
    s = sc.staff
    _group(sc, "C", "S1a", AgeBand.C25_36, 27, [s["T1"], s["T2"], s["T3"]])
    _group(sc, "A5", "S1a", AgeBand.K5, 35, [s["T1"], s["T4"]])
    _group(sc, "A4", "S1a", AgeBand.K4, 10, [])
    _group(sc, "B3", "S1b", AgeBand.K3, 12, [s["W1"], s["T0b"]])
    return sc


@pytest.fixture
def scenario(world) -> Scenario:
    return build_scenario(world)


def levels(default, n=15, **by_number):
    """A complete rating: ``n`` criteria (15 for TT 26/2018 teachers, 18 for TT 25/2018 principals)."""
    out = [default] * n
    for key, value in by_number.items():
        out[int(key[1:]) - 1] = value
    return out
