"""A hand-built scenario on the shared world: two districts, three schools, five groups, eight children.

On 31/12/2023 (school year 2023-2024, period 2023-2024/R2):

    S1a (D1, public)  G1 5-year-olds, full day, semi-boarding: K1 (disability), K2, K3
                      G2 25-36 months, half day, no lunch:     K4
    S1b (D1, public)  G3 4-year-olds, full day, English:        K5
    S2  (D2, private) G4 3-year-olds, full day:                 K6 (policy flag only, no disability)
                      G5 5-year-olds, half day:                 K7, K8 (K8 leaves on 31/12/2023)

Attendance in October 2023: K1 present, present; K2 sick, present; K7 late, absent without permission.
Every expected figure in the tests is worked out by hand from this table.
"""

import datetime as dt

import pytest

from mamnon.attendance.models import Attendance
from mamnon.children.models import AgeBand, Child, ChildStatus, ChildSupport, Enrolment, Group
from mamnon.indicators.catalogue import load_catalogue
from mamnon.indicators.models import Indicator
from mamnon.org.models import School


@pytest.fixture(autouse=True)
def _catalogue(db):
    if not Indicator.objects.exists():
        load_catalogue(Indicator)


@pytest.fixture
def scenario(classroom):
    c = classroom
    w = c.world
    Group.objects.filter(pk=c.groups["G2"].pk).update(full_day=False, semi_boarding=False)
    Group.objects.filter(pk=c.groups["G3"].pk).update(english=True)
    School.objects.filter(pk=w.schools["S2"].pk).update(ownership=School.Ownership.PRIVATE)
    g5 = Group.objects.create(school=w.schools["S2"], school_year=c.year, name=w.marker("group-G5"),
                              age_band=AgeBand.K5, full_day=False)
    c.groups["G5"] = g5
    start = c.year.start_date
    for key, end in (("K7", None), ("K8", dt.date(2023, 12, 31))):
        child = Child.objects.create(school=w.schools["S2"], full_name=w.marker(f"child-{key}"),
                                     birth_date=dt.date(2018, 4, 1), sex="M",
                                     status=ChildStatus.LEFT if end else ChildStatus.ENROLLED)
        c.children[key] = child
        Enrolment.objects.create(child=child, group=g5, school=w.schools["S2"], start_date=start, end_date=end)
    ChildSupport.objects.create(child=c.children["K6"], school=w.schools["S2"], poor_household=True)
    att = [("K1", "G1", 2, "present"), ("K1", "G1", 3, "present"), ("K2", "G1", 2, "sick"),
           ("K2", "G1", 3, "present"), ("K7", "G5", 2, "late"), ("K7", "G5", 3, "unexcused")]
    for key, gkey, day, status in att:
        group = c.groups[gkey]
        Attendance.objects.create(school=group.school, group=group, child=c.children[key],
                                  date=dt.date(2023, 10, day), status=status)
    return c
