"""Hypothesis: random rosters, mostly bad, never cause a server error or a partial import."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mamnon.children.models import Child
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)
from tests.children.test_roster_helpers import KEYS, child_row, confirm, counts, make_xlsx, upload

# Text openpyxl can write (XML forbids control characters).
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)
ANY_CELL = st.one_of(
    st.none(), TEXT, st.integers(min_value=-10**13, max_value=10**13),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["31/02/2020", "29/02/2019", "00/01/2018", "15/13/2018", "1/1/18", "Nam", "Nữ", "M", "F",
                     "Kinh", "Tày", "khome", "99", "0912345678", "+84912345678", "01234567890", "031218000001",
                     "=1+1", "Mẹ", "Bà", " ", "ZZ-group-G1", "ZZ-group-G2", "ZZ-group-G3"]),
)


@st.composite
def rosters(draw, groups):
    """1 to 6 rows; each starts valid and has a few cells replaced by anything."""
    rows = []
    for i in range(draw(st.integers(min_value=1, max_value=6))):
        row = child_row(groups[draw(st.integers(0, len(groups) - 1))], full_name=f"Bé {i}",
                        guardian_phone=f"09{draw(st.integers(0, 99_999_999)):08d}")
        for key in draw(st.lists(st.sampled_from(KEYS), max_size=4, unique=True)):
            row[key] = draw(ANY_CELL)
        rows.append(row)
    return rows


@pytest.fixture
def setup(client, classroom, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(classroom.world.user("principal1a"))
    return client, classroom


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=st.data())
def test_random_rosters_never_fail_or_import_in_part(setup, data):
    client, classroom = setup
    rows = data.draw(rosters([classroom.groups["G1"], classroom.groups["G2"]]))
    before = counts()
    response = upload(client, make_xlsx(rows), school=classroom.world.schools["S1a"])
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # refused at the upload (a whole-file problem): nothing kept, nothing written
        event("refused at upload")
        assert counts() == before
        return
    token = response["Location"].split("token=")[1]
    response = client.get(reverse("children:roster-preview"), {"token": token})
    assert response.status_code == 200
    plan = response.context["plan"]
    event("imported" if plan.ok else "errors: nothing imported")
    response = confirm(client, token)
    assert response.status_code in (200, 302)
    after = counts()
    if plan.ok:
        n = len(plan.rows)
        assert after[0] == before[0] + n and after[2] == before[2] + n  # every child, every enrolment
        assert Child.objects.filter(name_folded__startswith="be ").count() >= n
    else:
        assert after == before  # not one row of a file with an error
