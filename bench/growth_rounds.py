"""Benchmark: round statistics for the whole city demo (Hải Phòng, ~150,000 children, three rounds).

Builds the city demo in a scratch database (DATABASE_URL's PostgreSQL server, dropped afterwards; else a
temporary SQLite file), with the demo's "today" pinned to 10/04 of the school year's second calendar year so
that all three rounds have been measured, then times the province's round-2 table (every district, each summing
its schools; two aggregate queries for round 2 and round 1 together, for the change in points) and the indicator
family over every school (the same ``stats.counts``, round 2 only). Goal: under 1 s on PostgreSQL.

GROWTH_ROUNDS_KEEP=1 keeps the scratch database (its URL is printed);
GROWTH_ROUNDS_REUSE=<url> times against such a database without building it again. Prints:

    BENCH growth_rounds seconds=<s> measurements=<n> schools=<n> load_seconds=<s>
"""

import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scratch import scratch_database  # noqa: E402  (bench/ is the script directory)


def _scratch():
    """bench/scratch.py's database, named ``mamnon_bench_hr_...`` on PostgreSQL (other benches run beside it)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return scratch_database()
    import psycopg

    base = url.rsplit("/", 1)[0]
    name = f"mamnon_bench_hr_{os.urandom(4).hex()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")

    def drop():
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    return f"{base}/{name}", drop


def _pinned(real_today: dt.date) -> dt.date:
    """10/04 of the current school year's second calendar year: all three rounds measured."""
    year_start = real_today.year if real_today.month >= 9 else real_today.year - 1
    return dt.date(year_start + 1, 4, 10)


def _load(call_command, health_demo, pinned: dt.date, timings: dict) -> None:
    """The city demo, with the health generator's "today" pinned and its own time measured."""
    from mamnon.core import demo as core_demo

    gen = core_demo._GENERATORS["health"]

    def timed(ctx):
        started = time.perf_counter()
        health_demo.generate(ctx, today=pinned)
        timings["load"] = time.perf_counter() - started

    core_demo._GENERATORS["health"] = core_demo.Generator(gen.name, gen.order, timed)
    call_command("demo_data", scale="city", seed=2023, verbosity=0)


def main() -> None:
    reuse = os.environ.get("GROWTH_ROUNDS_REUSE", "")  # a database an earlier run kept: time only, no rebuild
    def keep():
        pass

    if reuse:
        url, drop = reuse, keep
    else:
        url, drop = _scratch()
        if os.environ.get("GROWTH_ROUNDS_KEEP"):
            print(f"keeping {url}")
            drop = keep
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamnon.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from mamnon.children import demo as children_demo
    from mamnon.health import demo as health_demo

    try:
        call_command("migrate", verbosity=0)
        pinned = _pinned(children_demo.demo_today())
        timings: dict = {}
        if not reuse:
            _load(call_command, health_demo, pinned, timings)
        if connection.vendor == "postgresql":
            # A settled database: autovacuum analyses freshly loaded tables within about a minute. Timed straight
            # after the COPY, the planner would still expect a few thousand rows where there are 150,000 (and sort
            # the enrolments on disk).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        from mamnon.health import stats
        from mamnon.health.indicators import growth_family
        from mamnon.health.models import Measurement
        from mamnon.indicators.registry import Window
        from mamnon.org.models import OrgUnit, School, SchoolYear

        year = SchoolYear.objects.get(is_current=True)
        province = OrgUnit.objects.filter(level__officer_role="province_officer").order_by("path").first()
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            table = stats.unit_table(province, year.code, 2, today=pinned)
            growth_family(Window(f"{year.code}/R2", "round", pinned, pinned, year.code, 2), None)
            best = min(best, time.perf_counter() - started)
        t = table.total
        print(f"province round 2: measured {t.values['measured']}/{t.values['enrolled']}, underweight "
              f"{t.shares['underweight']}% ({t.change['underweight']:+} pts), stunting {t.shares['stunting']}%, "
              f"overweight {t.shares['overweight']}% ({t.change['overweight']:+} pts)")
        print(f"BENCH growth_rounds seconds={best:.3f} measurements={Measurement.objects.count()} "
              f"schools={School.objects.count()} load_seconds={timings.get('load', 0):.1f} vendor={connection.vendor}")
    finally:
        connection.close()
        drop()


if __name__ == "__main__":
    main()
