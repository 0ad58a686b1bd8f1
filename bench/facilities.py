"""Benchmark: facilities at the city scale (Hải Phòng demo: ~450 schools, ~5,300 groups).

Builds the city demo (every generator, the facilities one included) on a scratch database, then times what
an office's pages and the indicators engine run over every school: the facility indicator family (one
aggregate over schools, rooms and profiles), EQUIP_MIN (one SQL aggregate over groups, enrolments, the
list and the inventories) and the roll-up rows with the TT 13/2020 checks (a fixed number of queries plus
numpy). Uses DATABASE_URL when set (a scratch database beside it, dropped afterwards), else SQLite. Prints:

    BENCH facilities schools=... rooms=... equipment_lines=... facility_family_s=... equip_min_s=...
        rollup_s=... one_way=... toilet_std=... equip_min=... meeting=...
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scratch import scratch_database  # noqa: E402  (bench/ is the script directory)


def timed(func, *args):
    started = time.perf_counter()
    out = func(*args)
    return out, time.perf_counter() - started


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
        print(f"demo built in {time.perf_counter() - started:.1f} s ({connection.vendor})")
        from mamnon.facilities import selectors
        from mamnon.facilities.indicators import equipment_family, facility_family
        from mamnon.facilities.models import GroupEquipment, Room
        from mamnon.indicators.registry import Window
        from mamnon.org.models import School, SchoolYear

        year = SchoolYear.objects.get(is_current=True)
        window = Window(code=year.code, kind="school_year", start=year.start_date, end=year.end_date,
                        school_year=year.code)
        fam, fam_s = timed(facility_family, window, None)
        equip, equip_s = timed(equipment_family, window, None)
        schools = list(School.objects.select_related("unit"))
        rows, rollup_s = timed(selectors.school_rows, schools)

        def share(v):
            return v.numerator.sum() / v.denominator.sum() if v.denominator.sum() else float("nan")

        print(
            f"BENCH facilities schools={len(schools)} rooms={Room.objects.count()} "
            f"equipment_lines={GroupEquipment.objects.count()} facility_family_s={fam_s:.3f} "
            f"equip_min_s={equip_s:.3f} rollup_s={rollup_s:.3f} one_way={share(fam['KITCHEN_ONEWAY']):.3f} "
            f"toilet_std={share(fam['TOILET_STD']):.3f} equip_min={share(equip['EQUIP_MIN']):.3f} "
            f"meeting={share(fam['ONLINE_MEETING']):.3f} warnings={sum(len(r.warnings) for r in rows)}"
        )
    finally:
        connection.close()
        drop()


if __name__ == "__main__":
    main()
