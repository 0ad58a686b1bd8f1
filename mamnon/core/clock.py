"""The one clock of mamnon: what "today" and "now" are, in Viet Nam's time zone.

Every page, service and command that asks for the current date or time asks here, never
``timezone.localdate()``/``timezone.now()`` directly, so the whole application can be run on another day.

``MAMNON_TODAY`` (setting, from the environment variable of the same name, ``yyyy-mm-dd``) pins the date:
the demo runs on a day of the 2023-2024 school year, the one seed 002 plans, and tests may pin a day with
``override_settings(MAMNON_TODAY=...)``. Time of day stays the real one, so ``now()`` is the pinned day at
the current wall-clock time and ``now().date() == today()`` always holds.

Left on the real clock on purpose: audit timestamps written by the database layer (``auto_now`` fields,
django-simple-history, login lockouts, tokens), which say when something really happened.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def pinned_day() -> dt.date | None:
    """The day ``MAMNON_TODAY`` pins, or None when the application runs on the real date."""
    value = getattr(settings, "MAMNON_TODAY", None)
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"MAMNON_TODAY must be a date written yyyy-mm-dd, not {value!r}") from exc


def today() -> dt.date:
    """Today's date in Viet Nam (or the pinned day)."""
    return pinned_day() or timezone.localdate()


def now() -> dt.datetime:
    """The current aware datetime in the local zone; on a pinned day, that day at the real time of day."""
    real = timezone.localtime()
    day = pinned_day()
    if day is None or day == real.date():
        return real
    return real.replace(year=day.year, month=day.month, day=day.day)
