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
