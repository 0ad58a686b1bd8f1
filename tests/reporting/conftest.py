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
