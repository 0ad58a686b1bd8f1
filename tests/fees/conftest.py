"""Fees fixtures: the classroom (tests/conftest.py) with Sao Sáng's fee table at S1a (28,000 đ a day =
25,000 food + 3,000 fuel, seed 002) and a 10,000 đ monthly water fee; March 2024 has 21 weekdays and no
holiday here, April 2024 has 22."""

import datetime as dt
from dataclasses import dataclass

import pytest

from mamnon.fees import services
from mamnon.fees.default_support import load_default_support
from mamnon.fees.models import Statement, SupportPolicy
from tests.english import client, english  # noqa: F401

MARCH = dt.date(2024, 3, 1)
APRIL = dt.date(2024, 4, 1)


@dataclass
class Fees:
    classroom: object
    table: object

    @property
    def world(self):
        return self.classroom.world


@pytest.fixture
def fees(classroom):
    load_default_support(SupportPolicy)
    w = classroom.world
    table = services.fee_table_save(
        actor=w.user("accountant1a"), school=w.schools["S1a"], school_year=classroom.year, food_per_day=25000,
        fuel_per_day=3000, policy="eaten", bank_bin="970436", bank_account="0011001932418",
        account_name="TRUONG MAM NON ZZ", fees=[("Nước uống", 10000)],
    )
    return Fees(classroom, table)


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a temporary directory (the bank-import tests use it)."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def issued(fees, media):
    """March's statements at S1a, by child key."""
    c = fees.classroom
    services.statements_generate(actor=c.world.user("accountant1a"), school=c.world.schools["S1a"], month=MARCH)
    return {k: Statement.objects.filter(child=c.children[k]).first() for k in ("K1", "K2", "K3", "K4")}
