"""CPU per register save, in one process: Django's WSGI application called directly, no HTTP server.

The companion of bench/attendance_load.py for comparing code: throughput and latency on a shared machine
follow the other work, CPU time per request much less. Runs on the database that
``bench/attendance_load.py --keep DBNAME`` built and kept (its bench teachers and tokens), saving random
groups' whole registers through POST /api/attendance/day/ with the same bodies as the load generator
(about one child in ten not plainly present), and prints the Python CPU of this process and the CPU of its
PostgreSQL backend (from /proc) per request:

    python bench/attendance_cpu.py --db DBNAME [--requests 600] [--rounds 3] [--profile]

Today's registers are cleared first (as the load benchmark does), so the first save of a group creates its
rows and later ones update about one row in five. ``--profile`` prints the cProfile of one round instead.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

ABSENT = ["excused", "unexcused", "sick", "late"]


def run_ns(pid: int) -> int:
    """Nanoseconds a process of this machine has run on a CPU (/proc/PID/schedstat: finer than /proc/PID/stat's
    clock ticks, so that one request can be timed)."""
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0])


def proc_cpu(pid: int) -> float:
    """User + system CPU seconds of a process of this machine (from /proc)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Harness:
    """The WSGI application, the bench teachers of a kept database and the request bodies."""

    def __init__(self, db: str, seed: int = 1):
        import attendance_load

        base = attendance_load.postgres_base()
        os.environ["DATABASE_URL"] = f"{base}/{db}"
        os.environ["MAMNON_DEBUG"] = "0"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamnon.config.settings")
        import django

        django.setup()
        from django.core.wsgi import get_wsgi_application
        from django.db import connection

        from mamnon.attendance import selectors

        self.day = selectors.local_today()
        self.plan = attendance_load.existing_teachers(self.day)
        if not self.plan:
            raise SystemExit(f"{db} holds no bench teachers: run attendance_load.py --keep {db} first")
        attendance_load.clear_day(self.day)
        connection.close()
        self.app = get_wsgi_application()
        self.rng = random.Random(seed)

    def body(self, p) -> bytes:
        rng = self.rng
        marks = [{"child": c, "status": "present" if rng.random() < 0.9 else rng.choice(ABSENT)} for c in p["children"]]
        return json.dumps({"group": p["group"], "date": self.day.isoformat(), "marks": marks}).encode()

    def work(self, n: int) -> list[tuple[dict, bytes]]:
        return [(p, self.body(p)) for p in (self.rng.choice(self.plan) for _ in range(n))]

    def call(self, p, data, app=None):
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": "/api/attendance/day/", "QUERY_STRING": "",
            "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(data)), "wsgi.input": io.BytesIO(data),
            "HTTP_AUTHORIZATION": "Token " + p["token"], "HTTP_HOST": "127.0.0.1:8000", "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
            "REMOTE_ADDR": "127.0.0.1", "wsgi.errors": sys.stderr, "HTTP_ACCEPT": "*/*",
            "HTTP_USER_AGENT": "attendance_cpu",
        }
        status = []
        result = (app or self.app)(environ, lambda s, h, exc=None: status.append(s))
        out = b"".join(result)
        if hasattr(result, "close"):
            result.close()
        if not status[0].startswith("200"):
            raise SystemExit(f"{status[0]}: {out[:300]!r}")

    def backend(self) -> int:
        from django.db import connection

        with connection.cursor() as cursor:  # the backend may have been renewed (CONN_MAX_AGE)
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    def measure(self, work, app=None) -> tuple[float, float, float]:
        """(python, postgres, wall) milliseconds per save over ``work``."""
        backend = self.backend()
        py0, pg0, wall0 = time.process_time(), proc_cpu(backend), time.perf_counter()
        for p, data in work:
            self.call(p, data, app)
        py1, wall1 = time.process_time(), time.perf_counter()
        pg1 = proc_cpu(backend)
        n = len(work)
        return 1000 * (py1 - py0) / n, 1000 * (pg1 - pg0) / n, 1000 * (wall1 - wall0) / n


    def interleaved(self, variants: dict, n: int) -> dict[str, tuple[float, float, float]]:
        """(python, postgres, wall) median milliseconds per save of each variant, the variants taking turns request by
        request, so that other work on the machine weighs on them alike. A variant is (app, prepare): the
        WSGI application (None: the default) and a function called before each of its requests (or None)."""
        import statistics

        from django.db import connection

        out = {k: ([], [], []) for k in variants}
        work = self.work(n * len(variants))
        for i in range(n):
            for j, (name, (app, prepare)) in enumerate(variants.items()):
                p, data = work[i * len(variants) + j]
                if prepare:
                    prepare()
                backend = connection.connection.info.backend_pid if connection.connection else self.backend()
                py0, pg0, wall0 = time.thread_time_ns(), run_ns(backend), time.perf_counter_ns()
                self.call(p, data, app)
                py1, pg1, wall1 = time.thread_time_ns(), run_ns(backend), time.perf_counter_ns()
                out[name][0].append((py1 - py0) / 1e6)
                out[name][1].append((pg1 - pg0) / 1e6)
                out[name][2].append((wall1 - wall0) / 1e6)
        return {k: tuple(statistics.median(x) for x in v) for k, v in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="a database kept by attendance_load.py --keep")
    ap.add_argument("--requests", type=int, default=600, help="saves per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    h = Harness(args.db, args.seed)
    for p, data in h.work(20):  # warm up: code loaded, the connection open, its statements prepared
        h.call(p, data)
    print(f"[attendance_cpu] {args.db}: {len(h.plan)} bench teachers; {args.rounds} rounds of {args.requests} "
          f"saves; load average {os.getloadavg()[0]:.2f}", flush=True)
    for r in range(args.rounds):
        work = h.work(args.requests)
        if args.profile:
            import cProfile
            import pstats

            prof = cProfile.Profile(time.process_time)  # CPU, not waiting on PostgreSQL
            prof.enable()
            for p, data in work:
                h.call(p, data)
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(60)
            pstats.Stats(prof).sort_stats("tottime").print_stats(40)
            return
        py, pg, wall = h.measure(work)
        print(f"[attendance_cpu] round {r + 1}: python {py:.2f} ms, postgres {pg:.2f} ms, wall {wall:.2f} ms per "
              f"save (load average {os.getloadavg()[0]:.2f})", flush=True)


if __name__ == "__main__":
    main()
