"""Benchmark: build the city demo (Hải Phòng: 15 districts, 217 communes, ~450 schools) from empty.

Goals: the organisation tree under 2 minutes (foundation issue); with children (~140,000), a school year of
attendance and handovers for Sao Sáng and a month for the other schools, under 10 minutes (issue 3), on
PostgreSQL. Uses DATABASE_URL when set (a scratch database is created beside it and dropped afterwards),
else a temporary SQLite file. Also times the scoped "everything below this district" query that every page
runs. Prints:

    BENCH demo_city seconds=... units=... schools=... staff=... children=... attendance_rows=...
    BENCH scope_prefix queries_per_s=... rows=...
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scratch import scratch_database  # noqa: E402  (bench/ is the script directory)


def main() -> None:
    url, drop = scratch_database()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamnon.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("demo_data", scale="city", seed=2023, verbosity=0)
        seconds = time.perf_counter() - started
        from mamnon.attendance.models import Attendance, Handover
        from mamnon.children.models import Child, Group
        from mamnon.core import scoping
        from mamnon.core.models import User
        from mamnon.org.models import OrgUnit, School, Staff

        print(
            f"BENCH demo_city seconds={seconds:.2f} units={OrgUnit.objects.count()} "
            f"schools={School.objects.count()} staff={Staff.objects.count()} children={Child.objects.count()} "
            f"attendance_rows={Attendance.objects.count()} groups={Group.objects.count()} "
            f"handovers={Handover.objects.count()} vendor={connection.vendor}"
        )
        officer = User.objects.get(username="so.haiphong")
        n, rows, started = 0, 0, time.perf_counter()
        while time.perf_counter() - started < 2.0:
            officer._mamnon_grants = None
            rows = len(list(scoping.restrict(Staff.objects.all(), officer).values_list("id", flat=True)))
            n += 1
        elapsed = time.perf_counter() - started
        print(f"BENCH scope_prefix queries_per_s={n / elapsed:.1f} rows={rows}")
    finally:
        connection.close()
        drop()


if __name__ == "__main__":
    main()
