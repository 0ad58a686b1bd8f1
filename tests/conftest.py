"""Shared fixtures: a small three-tier world (province > districts > communes > schools) with one user per role.

Every name carries a marker (``ZZ-<key>``) so tests can assert that a page or an API answer never
mentions what lies outside the caller's scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from mamnon.core.roles import Role
from mamnon.org import services
from mamnon.org.models import Membership, OrgLevel, OrgUnit, School, Site, Staff

LEVELS = [
    ("province", "Tỉnh/Thành phố", 1, False, Role.PROVINCE_OFFICER),
    ("district", "Quận/Huyện", 2, False, Role.DISTRICT_OFFICER),
    ("commune", "Xã/Phường", 3, False, Role.COMMUNE_OFFICER),
    ("school", "Trường", 4, True, ""),
]
PASSWORD = "test-pass-123!"


@dataclass
class World:
    levels: dict[str, OrgLevel]
    units: dict[str, OrgUnit] = field(default_factory=dict)
    schools: dict[str, School] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    staff: dict[str, Staff] = field(default_factory=dict)

    def marker(self, key: str) -> str:
        return f"ZZ-{key}"

    def user(self, key: str):
        return self.users[key]


def make_levels() -> dict[str, OrgLevel]:
    return {
        code: OrgLevel.objects.create(code=code, name=name, rank=rank, is_school=is_school, officer_role=officer)
        for code, name, rank, is_school, officer in LEVELS
    }


@lru_cache(maxsize=1)
def password_hash() -> str:
    """PASSWORD hashed once with the real (Argon2) hasher: hashing is slow on purpose, and tests make many users."""
    return make_password(PASSWORD)


def make_user(username: str, *, unit: OrgUnit | None = None, role: str | None = None, phone: str | None = None,
              superuser: bool = False):
    user = get_user_model().objects.create(
        username=username, password=password_hash(), full_name=f"Người dùng {username}", phone=phone,
        is_superuser=superuser, is_staff=superuser,
    )
    if unit is not None and role is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


def build_world() -> World:
    """Province P > districts D1, D2 > communes C1 (D1), C2 (D2) > schools S1a, S1b (D1), S2 (D2)."""
    w = World(levels=make_levels())
    start = dt.date(2020, 9, 5)

    def unit(key, level, parent):
        u = services.unit_create(code=key, name=w.marker(key), level=w.levels[level],
                                 parent=w.units.get(parent), valid_from=start)
        w.units[key] = u
        return u

    unit("P", "province", None)
    unit("D1", "district", "P")
    unit("D2", "district", "P")
    unit("C1", "commune", "D1")
    unit("C2", "commune", "D2")
    for key, parent, commune in (("S1a", "D1", "C1"), ("S1b", "D1", "C1"), ("S2", "D2", "C2")):
        school = services.school_create(code=key, name=w.marker(key), parent=w.units[parent],
                                        commune=w.units[commune], ownership=School.Ownership.PUBLIC)
        w.schools[key] = school
        w.units[key] = school.unit
        Site.objects.create(school=school, name=w.marker(f"site-{key}"), is_main=True)
        w.staff[key] = Staff.objects.create(unit=school.unit, full_name=w.marker(f"staff-{key}"), position="teacher")

    w.users["admin"] = make_user("admin", superuser=True)
    w.users["province"] = make_user("province", unit=w.units["P"], role=Role.PROVINCE_OFFICER)
    w.users["district1"] = make_user("district1", unit=w.units["D1"], role=Role.DISTRICT_OFFICER)
    w.users["district2"] = make_user("district2", unit=w.units["D2"], role=Role.DISTRICT_OFFICER)
    w.users["commune1"] = make_user("commune1", unit=w.units["C1"], role=Role.COMMUNE_OFFICER)
    school_roles = {
        "principal": Role.PRINCIPAL, "vice": Role.VICE_PRINCIPAL, "teacher": Role.TEACHER,
        "health": Role.HEALTH_STAFF, "kitchen": Role.KITCHEN_STAFF, "accountant": Role.ACCOUNTANT,
        "parent": Role.PARENT,
    }
    for key, role in school_roles.items():
        w.users[f"{key}1a"] = make_user(f"{key}1a", unit=w.units["S1a"], role=role)
    w.users["principal1b"] = make_user("principal1b", unit=w.units["S1b"], role=Role.PRINCIPAL)
    w.users["principal2"] = make_user("principal2", unit=w.units["S2"], role=Role.PRINCIPAL)
    w.users["nobody"] = make_user("nobody")
    return w


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """No persistent connections in tests: the live server's request threads must not keep the test
    database open, or PostgreSQL refuses to drop it at the end of the run."""
    from django.conf import settings

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


# --- children and groups ------------------------------------------------------------------------


@dataclass
class Classroom:
    """World + a school year, groups, children and guardians (names are markers too)."""

    world: World
    year: object
    groups: dict = field(default_factory=dict)
    children: dict = field(default_factory=dict)
    guardians: dict = field(default_factory=dict)


def build_classroom(w: World) -> Classroom:
    """School year 2023-2024 (current). S1a: group G1 (5-year-olds, teacher1a assigned, 3 children: K1 whose
    guardian is parent1a, K2, K3) and group G2 (25-36 months, no teacher of ours, child K4). S1b: G3 with K5.
    S2: G4 with K6. Every child has a guardian with a phone; K1 has support data (a disability)."""
    from mamnon.children.models import AgeBand, Child, ChildSupport, Enrolment, Group, GroupTeacher, Guardian
    from mamnon.org.models import SchoolYear

    year = services.school_year_create(start_year=2023, current=True)
    c = Classroom(world=w, year=year)
    teacher_staff = Staff.objects.create(unit=w.units["S1a"], full_name=w.marker("staff-teacher1a"),
                                         position=Staff.Position.TEACHER, user=w.user("teacher1a"))
    start = year.start_date
    specs = {
        "G1": ("S1a", AgeBand.K5, dt.date(2018, 3, 1)), "G2": ("S1a", AgeBand.C25_36, dt.date(2021, 6, 1)),
        "G3": ("S1b", AgeBand.K4, dt.date(2019, 5, 1)), "G4": ("S2", AgeBand.K3, dt.date(2020, 2, 1)),
    }
    for key, (school_key, band, _born) in specs.items():
        c.groups[key] = Group.objects.create(school=w.schools[school_key], school_year=year,
                                             name=w.marker(f"group-{key}"), age_band=band)
    GroupTeacher.objects.create(group=c.groups["G1"], staff=teacher_staff, school=w.schools["S1a"], is_lead=True)
    placement = {"K1": "G1", "K2": "G1", "K3": "G1", "K4": "G2", "K5": "G3", "K6": "G4"}
    for n, (key, gkey) in enumerate(placement.items()):
        group = c.groups[gkey]
        born = specs[gkey][2] + dt.timedelta(days=17 * n)
        child = Child.objects.create(school=group.school, full_name=w.marker(f"child-{key}"), birth_date=born,
                                     sex="F" if n % 2 else "M")
        c.children[key] = child
        Enrolment.objects.create(child=child, group=group, school=group.school, start_date=start)
        c.guardians[key] = Guardian.objects.create(
            child=child, school=group.school, full_name=w.marker(f"guardian-{key}"), relation="mother",
            phone=f"09{n + 1:08d}", user=w.user("parent1a") if key == "K1" else None, is_primary=True,
        )
    ChildSupport.objects.create(child=c.children["K1"], school=w.schools["S1a"], disability_type="ZZ-disability-K1",
                                disability_level="mild")
    assert SchoolYear.objects.filter(is_current=True).count() == 1
    return c


@pytest.fixture
def classroom(world) -> Classroom:
    return build_classroom(world)


def load_reference_data() -> None:
    """Load what the data migrations load (rules, indicator catalogue, support policies) if a flush took it."""
    from mamnon.core.default_rules import load_default_rules
    from mamnon.core.models import Rule
    from mamnon.fees.default_support import load_default_support
    from mamnon.fees.models import SupportPolicy
    from mamnon.indicators.catalogue import load_catalogue
    from mamnon.indicators.models import Indicator

    if not Rule.objects.exists():
        load_default_rules(Rule)
    if not Indicator.objects.exists():
        load_catalogue(Indicator)
    if not SupportPolicy.objects.exists():
        load_default_support(SupportPolicy)


@pytest.fixture(autouse=True)
def _migration_data(request, django_db_setup, django_db_blocker):
    """A transactional test ends with a flush, which also empties what data migrations loaded (the
    configurable rules, the indicator catalogue, the support policies). Before each database test,
    reload them if a flush took them: outside the test's transaction, so they stay for the tests that
    follow on this worker."""
    uses_db = request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server")
    )
    if uses_db:
        with django_db_blocker.unblock():
            load_reference_data()
    yield
