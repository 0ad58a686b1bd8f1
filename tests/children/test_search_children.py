"""Search ignores Vietnamese diacritics and case, finds by phone and ID number, and keeps to the scope."""

from __future__ import annotations

import datetime as dt

import pytest

from mamnon.children import services
from mamnon.children.selectors import children_search
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)


@pytest.fixture
def an(classroom):
    w = classroom.world
    child = services.child_create(actor=w.user("principal1a"), school=w.schools["S1a"], full_name="Nguyễn Văn An",
                                  birth_date=dt.date(2019, 1, 1), sex="M", personal_id="031219004567")
    services.child_create(actor=w.user("principal1a"), school=w.schools["S1a"], full_name="Đặng Thị Ân",
                          birth_date=dt.date(2019, 1, 1), sex="F")
    services.guardian_add(actor=w.user("principal1a"), child=child, full_name="Nguyễn Văn Bình", relation="father",
                          phone="0987 654 321")
    return child


def found(user, q):
    return {c.full_name for c in children_search(user, q)}


@pytest.mark.parametrize("q", ["nguyen van an", "NGUYEN VAN AN", "Nguyễn Văn An", "nguyen an", "  van   an ",
                               "NGUYỄN"])
def test_name_ignores_diacritics_and_case(classroom, an, q):
    assert found(classroom.world.user("principal1a"), q) == {"Nguyễn Văn An"}


def test_d_with_stroke_folds_to_d(classroom, an):
    assert found(classroom.world.user("principal1a"), "dang thi an") == {"Đặng Thị Ân"}
    assert found(classroom.world.user("principal1a"), "an") >= {"Nguyễn Văn An", "Đặng Thị Ân"}


@pytest.mark.parametrize("q", ["0987654321", "0987 654 321", "+84 987 654 321", "84987654321", "654321"])
def test_guardian_phone_normalised(classroom, an, q):
    assert found(classroom.world.user("principal1a"), q) == {"Nguyễn Văn An"}


def test_personal_id(classroom, an):
    assert found(classroom.world.user("principal1a"), "031219004567") == {"Nguyễn Văn An"}
    assert found(classroom.world.user("principal1a"), "0312190") == {"Nguyễn Văn An"}
    assert found(classroom.world.user("principal1a"), "03") == set()  # too short to mean anything


def test_search_keeps_to_the_scope(classroom, an):
    w = classroom.world
    assert found(w.user("principal2"), "nguyen van an") == set()
    assert found(w.user("principal2"), "031219004567") == set()
    assert found(w.user("teacher1a"), "nguyen van an") == set()  # not in her group
    assert found(w.user("district1"), "nguyen van an") == {"Nguyễn Văn An"}
    assert found(w.user("district1"), "0987654321") == set()  # offices see no family contacts
    assert found(w.user("district1"), "031219004567") == {"Nguyễn Văn An"}
    assert found(w.user("nobody"), "an") == set()
    assert found(w.user("principal1a"), "") == set()
