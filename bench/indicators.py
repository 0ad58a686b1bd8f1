"""Benchmark: every computed indicator for every unit and period of a school year, on the city demo.

The engine (``mamnon.indicators.services.compute_period`` for the 15 periods of the current school year: the
year, 2 semesters, 3 rounds, 9 months; each registered family once per period, schools placed in the tree
as of the period's end, numerators and denominators summed up the tree with numpy) against a baseline of
hand-written SQL: one query per indicator family and period that aggregates by school and sums up the
tree inside PostgreSQL (the school's path split into its ancestors). Both give the same numbers (checked).
Timed warm (a first untimed pass). Storing the values (``values_refresh``) is timed apart.

Needs PostgreSQL: DATABASE_URL names the server (a scratch database ``mamnon_bench_ind_<hex>`` is created
beside it and dropped afterwards); without it, 127.0.0.1:5432 as postgres. ``--keep URL`` reuses a database
that already holds the demo. ``--scale national`` times the national demo as a batch (slow to build).

    BENCH indicators seconds=... baseline_seconds=... ratio=...
    BENCH indicators_store seconds=... values=...
    BENCH indicators_national seconds=...      (with --scale national)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASELINE_CHILDREN = """
WITH e AS (
  SELECT e.school_id,
         COUNT(*) AS total,
         COUNT(*) FILTER (WHERE g.full_day) AS fullday,
         COUNT(*) FILTER (WHERE g.age_band = 'k5') AS k5,
         COUNT(*) FILTER (WHERE g.age_band = 'k5' AND g.full_day) AS k5_full,
         COUNT(*) FILTER (WHERE g.age_band IN ('k3','k4','k5','mixed_kinder')) AS kinder,
         COUNT(*) FILTER (WHERE g.age_band IN ('k3','k4','k5','mixed_kinder') AND g.english) AS kinder_en,
         COUNT(*) FILTER (WHERE s.ownership = 'public') AS public,
         COUNT(*) FILTER (WHERE cs.disability_type <> '') AS disabled_in
  FROM children_enrolment e
  JOIN children_group g ON g.id = e.group_id
  JOIN org_schoolyear y ON y.id = g.school_year_id AND y.code = %(year)s
  JOIN org_school s ON s.unit_id = e.school_id
  LEFT JOIN children_childsupport cs ON cs.child_id = e.child_id
  WHERE e.start_date <= %(day)s AND (e.end_date IS NULL OR e.end_date >= %(day)s)
  GROUP BY e.school_id
), gr AS (
  SELECT g.school_id, COUNT(*) AS groups, COUNT(*) FILTER (WHERE g.semi_boarding) AS semi
  FROM children_group g JOIN org_schoolyear y ON y.id = g.school_year_id AND y.code = %(year)s
  WHERE g.active GROUP BY g.school_id
), dis AS (
  SELECT cs.school_id, COUNT(*) AS disabled
  FROM children_childsupport cs JOIN children_child c ON c.id = cs.child_id
  WHERE cs.disability_type <> '' AND c.status IN ('enrolled', 'transferring') GROUP BY cs.school_id
), per_school AS (
  SELECT u.path, e.total, e.fullday, e.k5, e.k5_full, e.kinder, e.kinder_en, e.public, e.disabled_in,
         gr.groups, gr.semi, dis.disabled
  FROM org_orgunit u
  LEFT JOIN e ON e.school_id = u.id LEFT JOIN gr ON gr.school_id = u.id LEFT JOIN dis ON dis.school_id = u.id
  WHERE e.school_id IS NOT NULL OR gr.school_id IS NOT NULL OR dis.school_id IS NOT NULL
)
SELECT anc::bigint AS unit_id, SUM(total), SUM(fullday), SUM(k5), SUM(k5_full), SUM(kinder), SUM(kinder_en),
       SUM(public), SUM(disabled_in), SUM(groups), SUM(semi), SUM(disabled)
FROM per_school CROSS JOIN LATERAL unnest(string_to_array(rtrim(path, '/'), '/')) AS anc
GROUP BY anc
"""

BASELINE_ATTENDANCE = """
WITH a AS (
  SELECT a.school_id, COUNT(*) AS d, COUNT(*) FILTER (WHERE a.status IN ('present', 'late')) AS n,
         COUNT(*) FILTER (WHERE g.age_band = 'k5') AS d5,
         COUNT(*) FILTER (WHERE g.age_band = 'k5' AND a.status IN ('present', 'late')) AS n5
  FROM attendance_attendance a JOIN children_group g ON g.id = a.group_id
  WHERE a.date >= %(start)s AND a.date <= %(day)s GROUP BY a.school_id
)
SELECT anc::bigint, SUM(a.n), SUM(a.d), SUM(a.n5), SUM(a.d5)
FROM a JOIN org_orgunit u ON u.id = a.school_id
CROSS JOIN LATERAL unnest(string_to_array(rtrim(u.path, '/'), '/')) AS anc
GROUP BY anc
"""


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url.rsplit("/", 1)[0]
    return "postgres://postgres@127.0.0.1:5432"


def _scratch() -> tuple[str, callable]:
    import psycopg

    base = _server_url()
    name = f"mamnon_bench_ind_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")

    def drop():
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    return f"{base}/{name}", drop


def engine_pass(windows, indicators):
    from mamnon.indicators import services

    out, memo = {}, {}
    for w in windows:
        out[w.code] = services.compute_period(w, indicators, declarations=[], memo=memo)
    return out


def baseline_pass(windows):
    from django.db import connection

    from mamnon.indicators.families import snapshot_day

    out, stock = {}, {}
    with connection.cursor() as cur:
        for w in windows:
            day = snapshot_day(w)
            if day is None:
                out[w.code] = ({}, {})
                continue
            if (w.school_year, day) not in stock:  # the same stock on the same day: one query, as the engine
                cur.execute(BASELINE_CHILDREN, {"year": w.school_year, "day": day})
                stock[w.school_year, day] = {r[0]: r[1:] for r in cur.fetchall()}
            children = stock[w.school_year, day]
            cur.execute(BASELINE_ATTENDANCE, {"start": w.start, "day": day})
            attendance = {r[0]: r[1:] for r in cur.fetchall()}
            out[w.code] = (children, attendance)
    return out


def check_same(engine, baseline) -> int:
    """The engine's FULLDAY, CLASS_SIZE and ATTENDANCE sums equal the baseline's for every unit and period."""
    checked = 0
    for code, (children, attendance) in baseline.items():
        got = engine[code]
        for ind, source, num_i, den_i in (("FULLDAY", children, 1, 0), ("CLASS_SIZE", children, 0, 8),
                                          ("ATTENDANCE", attendance, 0, 1)):
            if ind not in got:
                assert not source, (code, ind)
                continue
            units, num, den, _schools, _src = got[ind]
            mine = {int(u): (n, d) for u, n, d in zip(units, num, den, strict=True) if n or d}
            theirs = {int(u): (float(r[num_i] or 0), float(r[den_i] or 0)) for u, r in source.items()
                      if (r[num_i] or 0) or (r[den_i] or 0)}
            assert mine == theirs, (code, ind, len(mine), len(theirs))
            checked += len(mine)
    return checked


def run(scale: str, keep: str | None) -> None:
    drop = lambda: None  # noqa: E731
    if keep:
        os.environ["DATABASE_URL"] = keep
    else:
        url, drop = _scratch()
        os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamnon.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        if not keep:
            call_command("migrate", verbosity=0)
            t = time.perf_counter()
            call_command("demo_data", scale=scale, seed=2023, verbosity=0)
            print(f"demo {scale} built in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        from mamnon.indicators import periods, services
        from mamnon.indicators.models import Indicator

        with connection.cursor() as cur:
            cur.execute("ANALYZE")  # fresh planner statistics after the bulk loads, for both contenders

        year = services.current_school_year()
        windows = periods.windows_of(year)
        indicators = {i.code: i for i in Indicator.objects.all()}
        if scale == "national":
            started = time.perf_counter()
            n = services.values_refresh(school_year=year)
            print(f"BENCH indicators_national seconds={time.perf_counter() - started:.2f} values={n}")
            return
        engine_pass(windows, indicators)  # warm
        baseline_pass(windows)
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            engine = engine_pass(windows, indicators)
            e = time.perf_counter() - t
            t = time.perf_counter()
            baseline = baseline_pass(windows)
            runs.append((e, time.perf_counter() - t))
        checked = check_same(engine, baseline)
        e, b = min(r[0] for r in runs), min(r[1] for r in runs)
        print(f"checked {checked} unit values equal to the baseline's", file=sys.stderr)
        t = time.perf_counter()
        n = services.values_refresh(school_year=year)
        store = time.perf_counter() - t
        print(f"BENCH indicators_store seconds={store:.2f} values={n}")
        print(f"BENCH indicators seconds={e:.3f} baseline_seconds={b:.3f} ratio={e / b:.2f}")
    finally:
        connection.close()
        drop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["city", "national"], default="city")
    parser.add_argument("--keep", help="a database URL that already holds the demo (not dropped)")
    args = parser.parse_args()
    run(args.scale, args.keep)


if __name__ == "__main__":
    main()
