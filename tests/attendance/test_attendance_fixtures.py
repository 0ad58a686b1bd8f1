"""Fixtures shared by Part C's attendance, calendar and meal tests (no tests here).

``clock`` moves django.utils.timezone.now, so the register's lock, the kitchen's cut-off and the
auto_now timestamps (Attendance.recorded_at, AbsenceRequest.requested_at) all read the same time.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mamnon.attendance.selectors import VN_TZ
from mamnon.children.models import Child, Enrolment
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)

MONDAY = dt.date(2024, 3, 4)  # a Monday of school year 2023-2024 (the classroom fixture's)


class Clock:
    def __init__(self):
        self.value = dt.datetime.combine(MONDAY, dt.time(8, 0), tzinfo=VN_TZ)

    def at(self, day: dt.date, hour: int = 8, minute: int = 0) -> Clock:
        """Vietnam's local time."""
        self.value = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VN_TZ)
        return self

    def now(self) -> dt.datetime:
        return self.value.astimezone(dt.UTC)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(timezone, "now", c.now)
    return c


def add_children(group, n: int, *, start: dt.date | None = None, prefix: str = "Trẻ") -> list[Child]:
    """``n`` more children enrolled in ``group`` (bulk: two INSERTs)."""
    children = Child.objects.bulk_create([
        Child(school=group.school, full_name=f"{prefix} {i:03d}", name_folded=f"tre {i:03d}",
              birth_date=dt.date(2018, 1, 1) + dt.timedelta(days=i), sex="F" if i % 2 else "M")
        for i in range(n)
    ])
    Enrolment.objects.bulk_create([
        Enrolment(child=c, group=group, school=group.school, start_date=start or group.school_year.start_date)
        for c in children
    ])
    return children
