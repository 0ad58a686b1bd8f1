"""Reporting fixtures: the province P ships the standard forms to the schools; the districts consolidate."""

from __future__ import annotations

import pytest

from mamnon.reporting import catalogue


@pytest.fixture
def forms(classroom):
    """The shipped forms, defined by the province P of the world (school year 2023-2024 current)."""
    return {f.code: f for f in catalogue.install(classroom.world.units["P"])}


@pytest.fixture
def round_form(forms):
    return forms["can-do"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary MEDIA_ROOT (never the developer's var/media)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def programme(classroom):
    """Phòng D1's programme of 2023-2024 for its schools: two criteria (10 × 2, 5 × 1), registration by 30/10."""
    import datetime as dt

    from mamnon.reporting import programmes

    w = classroom.world
    return programmes.programme_create(
        actor=w.user("district1"), unit=w.units["D1"], name="ZZ-prog Trường mầm non lấy trẻ làm trung tâm",
        school_year=classroom.year, registration_deadline=dt.date(2023, 10, 30), target_level=w.levels["school"],
        criteria=[{"name": "Ứng dụng phương pháp GDMN tiên tiến", "max_score": "10", "weight": "2"},
                  {"name": "Chuyển đổi số trong GDMN", "max_score": "5", "weight": "1"}])
