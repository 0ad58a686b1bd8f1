"""Hypothesis: staff lists with random cells never crash the import nor leave a partial one."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mamnon.org.models import Staff
from mamnon.staff import roster
from mamnon.staff.models import StaffRecord
from tests.staff.test_roster_staff import GOOD, HEADER, workbook

TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30)
ANY_CELL = st.one_of(
    st.none(), TEXT, st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["31/02/1990", "01/01/2030", "Nam", "Nữ", "x", "có", "Hạng I", "Hạng IV", "Đại học", "Thạc sỹ",
                     "Giáo viên", "Hiệu trưởng", "Bảo vệ", " ", "=1+1", "Kinh", "Mường", "99"]),
)


@st.composite
def staff_lists(draw):
    rows = []
    for i in range(draw(st.integers(min_value=1, max_value=5))):
        row = list(GOOD[i % 2])
        row[1] = f"{row[1]} {i}"
        for col in draw(st.lists(st.integers(min_value=1, max_value=len(HEADER) - 1), max_size=3, unique=True)):
            row[col] = draw(ANY_CELL)
        rows.append(row)
    return rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=staff_lists())
def test_random_lists_import_all_or_nothing(world, rows):
    school = world.schools["S1a"]
    before = (Staff.objects.count(), StaffRecord.objects.count())
    try:
        result = roster.import_xlsx(workbook(rows), actor=world.user("principal1a"), school=school, dry_run=True)
    except roster.ImportRefused as exc:
        assert exc.errors and all(e.startswith("Row ") or e.startswith("Dòng ") for e in exc.errors)
    else:
        assert result.created + result.updated == len(rows)
    assert (Staff.objects.count(), StaffRecord.objects.count()) == before
