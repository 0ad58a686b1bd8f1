"""The application clock: the real date by default, a pinned day when MAMNON_TODAY says so."""
import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils import timezone

from mamnon.core import clock


def test_real_date_when_not_pinned():
    with override_settings(MAMNON_TODAY=None):
        assert clock.today() == timezone.localdate()
        assert abs(clock.now() - timezone.now()) < dt.timedelta(seconds=5)


def test_pinned_day_keeps_the_time_of_day():
    with override_settings(MAMNON_TODAY="2024-05-16"):
        assert clock.today() == dt.date(2024, 5, 16)
        now, real = clock.now(), timezone.localtime()
        assert now.date() == dt.date(2024, 5, 16)
        assert now.tzinfo is not None and now.utcoffset() == dt.timedelta(hours=7)
        assert abs(dt.datetime.combine(dt.date.min, now.time()) - dt.datetime.combine(dt.date.min, real.time())) \
            < dt.timedelta(seconds=5)


def test_leap_day_can_be_pinned():
    with override_settings(MAMNON_TODAY="2024-02-29"):
        assert clock.now().date() == dt.date(2024, 2, 29)


def test_a_bad_setting_says_what_is_wrong():
    with override_settings(MAMNON_TODAY="16/05/2024"), pytest.raises(ImproperlyConfigured, match="yyyy-mm-dd"):
        clock.today()
