"""Health fixtures: rounds for the classroom's year (set by the province), and a few measurements."""

import datetime as dt

import pytest

from mamnon.health.models import MeasurementRound
from tests.english import client, english  # noqa: F401


@pytest.fixture
def rounds(classroom):
    """Rounds 1-3 of 2023-2024 set by the province P (September, December, March; due the 20th)."""
    w, year = classroom.world, classroom.year
    out = {}
    for n, (first, last, due) in {
        1: (dt.date(2023, 9, 1), dt.date(2023, 9, 30), dt.date(2023, 9, 20)),
        2: (dt.date(2023, 12, 1), dt.date(2023, 12, 31), dt.date(2023, 12, 20)),
        3: (dt.date(2024, 3, 1), dt.date(2024, 3, 31), dt.date(2024, 3, 20)),
    }.items():
        out[n] = MeasurementRound.objects.create(unit=w.units["P"], school_year=year, number=n, name=f"ZZ-round-{n}",
                                                 start_date=first, end_date=last, deadline=due)
    return out
