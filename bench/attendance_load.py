"""Benchmark: whole-group attendance submissions under load (issue 3's performance goal).

Builds the city demo (`mamnon demo-data --scale city`) in a scratch PostgreSQL database; when the demo
holds no children it adds ~150,000 children in ~5,000 groups itself, with bulk inserts. Creates one
teacher account (and its API token) per sampled group, starts gunicorn on 127.0.0.1 only, and runs locust
headless from the same machine against loopback for a bounded time (it stops by itself), each request
saving a random group's whole register through POST /api/attendance/day/ with the audit (simple-history)
on. Prints submissions/s and p50/p95 latency, and ends with

    BENCH attendance_load submits_per_s=<x> p50_ms=<y> p95_ms=<z>

Goal: at least 200 submissions/s with p95 under 150 ms. The load generator shares the machine's two cores
with gunicorn and PostgreSQL, which the output says. It also prints the CPU time per submission of each
kind of process (gunicorn's, the scratch database's PostgreSQL backends, locust's), read from the
processes over the middle of the run, and how much of the machine other work used meanwhile: on a shared
machine throughput and latency follow the other work, the CPU per submission much less (docs/attendance.md
has the figures and what the save costs). gunicorn is stopped and the scratch database dropped at the end,
also on failure.

PostgreSQL: DATABASE_URL when it is a postgres:// URL, else postgres://postgres@127.0.0.1:5432 (as .ci/run).

How the load is offered: ``--users`` simulated phones, each starting a submission every users/rate seconds
(locust's constant_throughput), so that together they offer ``--rate`` submissions/s; with 105 users at 2/s
each a slow answer holds back only its own phone (an open-ish arrival rate), while too few users would turn
the test into a closed loop where the measured latency is just users / throughput (Little's law).

Options: --seconds 60 --users 105 --rate 210 --workers 3 --threads 4 --worker-class gthread (or sync)
--groups 3000 --org-only (skip the children and attendance demo generators and build the children here, for
a quicker run), --keep DBNAME (build the data in that database once and reuse it on later runs, today's
registers cleared first).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_PASSWORD = "bench-pass-2024!"
TARGET_CHILDREN, TARGET_GROUPS = 150_000, 5_000

LOCUSTFILE = r'''
import json, os, random
from locust import FastHttpUser, constant_throughput, task

PLAN = json.load(open(os.environ["BENCH_PLAN"]))
DAY = os.environ["BENCH_DAY"]
ABSENT = ["excused", "unexcused", "sick", "late"]


class Teacher(FastHttpUser):
    """A teacher's phone: the whole register of a random group, about one child in ten not plainly present."""

    wait_time = constant_throughput(float(os.environ["BENCH_PER_USER"]))

    @task
    def submit(self):
        p = random.choice(PLAN)
        marks = [{"child": c, "status": "present" if random.random() < 0.9 else random.choice(ABSENT)}
                 for c in p["children"]]
        with self.client.post("/api/attendance/day/", json={"group": p["group"], "date": DAY, "marks": marks},
                              headers={"Authorization": "Token " + p["token"]}, name="day",
                              catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} {r.text[:200]}")
'''


def log(msg: str) -> None:
    print(f"[attendance_load] {msg}", flush=True)


def postgres_base() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = DEFAULT_PG
    import psycopg

    base = url.rsplit("/", 1)[0]
    try:
        with psycopg.connect(f"{base}/postgres", connect_timeout=5):
            pass
    except psycopg.Error as exc:
        raise SystemExit(f"attendance_load needs PostgreSQL ({base}/postgres does not answer: {exc})") from None
    return base


def scratch_database(base: str, keep: str | None = None) -> tuple[str, callable, bool]:
    """(url, drop, fresh): a new scratch database dropped at the end, or with ``keep`` the database of that
    name, created when missing and left in place (fresh tells whether it must be built)."""
    import psycopg

    if keep:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            fresh = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [keep]).fetchone() is None
            if fresh:
                conn.execute(f'CREATE DATABASE "{keep}"')
        return f"{base}/{keep}", lambda: None, fresh
    name = f"mamnon_bench_att_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")

    def drop():
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    return f"{base}/{name}", drop, True


# --- building the data (inside Django) ---------------------------------------------------------------


def build_demo(org_only: bool) -> None:
    import random as stdlib_random

    from django.core.management import call_command
    from django.db import transaction

    from mamnon.core import demo

    started = time.perf_counter()
    if not org_only:
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # the demo prints its logins table
                call_command("demo_data", scale="city", seed=2023, verbosity=0)
            log(f"city demo (all generators) built in {time.perf_counter() - started:.0f} s")
            return
        except Exception as exc:  # another part's generator may be unfinished: fall back to the tree
            log(f"the full city demo failed ({type(exc).__name__}: {exc}); building the organisation only")
    ctx = demo.DemoContext(scale="city", seed=2023, rng=stdlib_random.Random(2023),
                           progress=lambda _d, _t: (lambda n=1: None))
    with transaction.atomic():
        next(g for g in demo.generators() if g.name == "org").func(ctx)
    log(f"city organisation built in {time.perf_counter() - started:.0f} s")


def ensure_children() -> None:
    """~150,000 children in ~5,000 groups of the current school year, when the demo made none."""
    from django.db import transaction

    from mamnon.calc.text import fold
    from mamnon.children.models import AgeBand, Child, Enrolment, Group
    from mamnon.org.models import School, SchoolYear

    if Child.objects.exists():
        log(f"the demo holds {Child.objects.count()} children in {Group.objects.count()} groups")
        return
    started = time.perf_counter()
    rng = random.Random(2024)
    year = SchoolYear.objects.get(is_current=True)
    schools = list(School.objects.order_by("pk").values_list("pk", flat=True))
    per_school = max(1, round(TARGET_GROUPS / len(schools)))
    per_group = max(1, round(TARGET_CHILDREN / (per_school * len(schools))))
    bands = [AgeBand.C25_36, AgeBand.K3, AgeBand.K4, AgeBand.K5]
    with transaction.atomic():
        groups = Group.objects.bulk_create([
            Group(school_id=s, school_year=year, name=f"Lớp {i + 1:02d}", age_band=bands[i % len(bands)])
            for s in schools for i in range(per_school)
        ], batch_size=5000)
        families, givens = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ"], ["An", "Bình", "Chi", "Dũng", "Hà", "Minh"]
        children = []
        for g in groups:
            for _i in range(per_group):
                name = f"{rng.choice(families)} {rng.choice(['Văn', 'Thị', 'Minh'])} {rng.choice(givens)}"
                children.append(Child(school_id=g.school_id, full_name=name, name_folded=fold(name),
                                      birth_date=dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(1400)),
                                      sex=rng.choice("MF")))
        Child.objects.bulk_create(children, batch_size=5000)
        Enrolment.objects.bulk_create([
            Enrolment(child=c, group=groups[i // per_group], school_id=c.school_id, start_date=year.start_date)
            for i, c in enumerate(children)
        ], batch_size=5000)
    log(f"added {len(children)} children in {len(groups)} groups in {time.perf_counter() - started:.0f} s")


def prepare_day() -> dt.date:
    """Today (Vietnam) as a school day whose register is open all day, in this scratch database only."""
    from mamnon.attendance import selectors
    from mamnon.attendance.models import CalendarDay
    from mamnon.core.models import Rule
    from mamnon.org.models import School

    today = selectors.local_today()
    Rule.objects.get_or_create(code=selectors.LOCK_HOUR, value=Decimal("23.99"), label="bench: open all day",
                               effective_from=today)
    closed = [s.pk for s in School.objects.select_related("unit")
              if not selectors.is_school_day(school=s, day=today)]
    if closed:
        CalendarDay.objects.filter(unit_id__in=closed, date=today).delete()
        CalendarDay.objects.bulk_create([CalendarDay(unit_id=s, date=today, kind=CalendarDay.Kind.MAKE_UP,
                                                     note="bench") for s in closed])
        log(f"{today:%d/%m/%Y} is not a school day for {len(closed)} schools: declared a make-up day there")
    return today


def clear_day(day: dt.date) -> None:
    """A kept database: forget the registers an earlier run saved on ``day`` (rows, audit, day rows, counts),
    so that every run starts from unsaved registers."""
    from django.db import transaction

    from mamnon.attendance.models import Attendance, DayCount, GroupDay

    with transaction.atomic():
        n = Attendance.objects.filter(date=day).delete()[0]
        Attendance.history.filter(date=day).delete()
        GroupDay.objects.filter(date=day).delete()
        GroupDay.history.filter(date=day).delete()
        DayCount.objects.filter(date=day).delete()
    log(f"kept database: {n} rows of {day:%d/%m/%Y} from an earlier run deleted")


def existing_teachers(day: dt.date) -> list[dict]:
    """The plan of an earlier run on a kept database (its bench teachers, tokens and groups), or []."""
    from django.db.models import Q
    from rest_framework.authtoken.models import Token

    from mamnon.children.models import Enrolment, GroupTeacher

    tokens = {u: k for k, u in Token.objects.filter(user__username__startswith="bench.gv")
              .values_list("key", "user__username")}
    if not tokens:
        return []
    groups = dict(GroupTeacher.objects.filter(staff__user__username__in=tokens)
                  .values_list("staff__user__username", "group_id"))
    open_today = Enrolment.objects.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
    kids: dict[int, list[int]] = {}
    for g, c in open_today.filter(group_id__in=groups.values()).values_list("group_id", "child_id"):
        kids.setdefault(g, []).append(c)
    plan = [{"token": tokens[u], "group": g, "children": kids.get(g, []), "username": u}
            for u, g in sorted(groups.items())]
    log(f"kept database: {len(plan)} bench teachers of an earlier run")
    return plan


def make_teachers(n_groups: int, day: dt.date) -> list[dict]:
    """One teacher account, staff record, group assignment and API token per sampled group."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import Q
    from rest_framework.authtoken.models import Token

    from mamnon.children.models import Enrolment, Group, GroupTeacher
    from mamnon.core.roles import Role
    from mamnon.org.models import Membership, Staff

    open_today = Enrolment.objects.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
    candidates = list(Group.objects.filter(pk__in=open_today.values("group_id"), school_year__is_current=True)
                      .values_list("pk", "school_id"))
    rng = random.Random(7)
    sample = rng.sample(candidates, min(n_groups, len(candidates)))
    User = get_user_model()
    password = make_password(BENCH_PASSWORD)
    with transaction.atomic():
        users = User.objects.bulk_create([
            User(username=f"bench.gv{i:05d}", password=password, full_name=f"Giáo viên {i}") for i in range(len(sample))
        ])
        Membership.objects.bulk_create([Membership(user=u, unit_id=s, role=Role.TEACHER)
                                        for u, (_g, s) in zip(users, sample, strict=True)])
        staff = Staff.objects.bulk_create([Staff(unit_id=s, full_name=u.full_name, position="teacher", user=u)
                                           for u, (_g, s) in zip(users, sample, strict=True)])
        GroupTeacher.objects.bulk_create([GroupTeacher(group_id=g, staff=st, school_id=s, is_lead=True)
                                          for st, (g, s) in zip(staff, sample, strict=True)])
        tokens = Token.objects.bulk_create([Token(key=secrets.token_hex(20), user=u) for u in users])
    kids: dict[int, list[int]] = {}
    for g, c in open_today.filter(group_id__in=[g for g, _s in sample]).values_list("group_id", "child_id"):
        kids.setdefault(g, []).append(c)
    plan = [{"token": t.key, "group": g, "children": kids.get(g, []), "username": u.username}
            for t, u, (g, _s) in zip(tokens, users, sample, strict=True)]
    sizes = [len(p["children"]) for p in plan]
    log(f"{len(plan)} teachers with tokens; groups of {min(sizes)}-{max(sizes)} children "
        f"(mean {sum(sizes) / len(sizes):.1f})")
    return plan


def verify(day: dt.date) -> dict:
    from django.db.models import Count

    from mamnon.attendance.models import Attendance, GroupDay

    dupes = (Attendance.objects.filter(date=day).values("child_id").annotate(n=Count("id")).filter(n__gt=1).count())
    return {
        "rows_today": Attendance.objects.filter(date=day).count(),
        "duplicate_rows": dupes,
        "registers_saved": GroupDay.objects.filter(date=day, saved_by__username__startswith="bench.").count(),
        "history_rows": Attendance.history.filter(date=day, history_user__username__startswith="bench.").count(),
    }


# --- processes ---------------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen | None, name: str) -> None:
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    log(f"{name} stopped")


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer at {url}")


def smoke(base: str, plan: list[dict], day: dt.date) -> None:
    """Log in one bench teacher through /api/token/ and save her group once, before the load."""
    p = plan[0]

    def post(path, payload, token=None):
        req = urllib.request.Request(base + path, data=json.dumps(payload).encode(), method="POST",
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Token {token}"} if token else {})})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())

    token = post("/api/token/", {"username": p["username"], "password": BENCH_PASSWORD})["token"]
    assert token == p["token"], "the token of /api/token/ is not the bench's"
    saved = post("/api/attendance/day/", {"group": p["group"], "date": day.isoformat(), "marks": []}, token)
    n = saved["created"] + saved["updated"] + saved["unchanged"]
    log(f"smoke: {p['username']} logged in through /api/token/ and saved a register of {n} children")


def cpu_by_pid(procs) -> dict[int, float]:
    """User + system CPU seconds of each process still alive."""
    out = {}
    for p in procs:
        try:
            t = p.cpu_times()
            out[p.pid] = t.user + t.system
        except Exception:  # noqa: BLE001 - a process may have ended
            pass
    return out


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings: processes alive at the end, from their first reading (or from
    their start when they began in between, e.g. a PostgreSQL backend opened when Django renewed its
    connection after CONN_MAX_AGE). A process that ended in between is not counted at all."""
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


def machine_busy_seconds() -> float:
    """CPU seconds all processes of the machine have used (every core, from /proc/stat); 0 elsewhere."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def bench_processes(gunicorn: subprocess.Popen, locust: subprocess.Popen, db_name: str) -> dict[str, list]:
    """The processes whose CPU the run is charged with: gunicorn's, locust's, and PostgreSQL's backends
    serving the scratch database (the machine may be running other work; it is not counted here)."""
    import psutil

    def tree(pid):
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]

    backends = [p for p in psutil.process_iter(["username", "cmdline"])
                if p.info["username"] == "postgres" and db_name in " ".join(p.info["cmdline"] or [])]
    return {"gunicorn": tree(gunicorn.pid), "postgres": backends, "locust": tree(locust.pid)}


def read_stats(prefix: str) -> dict:
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = {r["Name"]: r for r in csv.DictReader(f)}
    r = rows.get("day") or rows["Aggregated"]
    return {
        "requests": int(r["Request Count"]), "failures": int(r["Failure Count"]),
        "rps": float(r["Requests/s"]), "p50": float(r["50%"]), "p95": float(r["95%"]), "p99": float(r["99%"]),
        "mean": float(r["Average Response Time"]),
    }


def server_times(access_log: str) -> dict | None:
    """Percentiles (ms) of gunicorn's own request time for the submissions, read from its access log."""
    import numpy as np

    try:
        with open(access_log) as f:
            times = [int(t) for path, _, t in (line.strip().rpartition(" ") for line in f)
                     if path == "/api/attendance/day/" and t.isdigit()]
    except OSError:
        return None
    if not times:
        return None
    p50, p95, p99 = np.percentile(np.array(times) / 1000, [50, 95, 99])
    return {"p50": p50, "p95": p95, "p99": p99}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--users", type=int, default=105, help="simulated phones (each at rate/users submissions/s)")
    ap.add_argument("--rate", type=float, default=210.0, help="submissions/s offered (all users together)")
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    ap.add_argument("--groups", type=int, default=3000, help="groups sampled (one teacher each)")
    ap.add_argument("--org-only", action="store_true", help="skip the children/attendance demo generators")
    ap.add_argument("--keep", metavar="DBNAME", help="build the data in this database once and keep it: "
                    "later runs reuse it (today's registers cleared first) instead of a new scratch database")
    args = ap.parse_args()

    base_pg = postgres_base()
    url, drop, fresh = scratch_database(base_pg, args.keep)
    os.environ["DATABASE_URL"] = url
    os.environ["MAMNON_DEBUG"] = "0"  # no query log in memory: as in production
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamnon.config.settings")
    gunicorn = locust = None
    last_lines: list[str] = []  # printed after the clean-up, so that the figures come last
    tmp = tempfile.mkdtemp(prefix="attendance_load_")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        if fresh:
            build_demo(args.org_only)
        ensure_children()
        day = prepare_day()
        plan = [] if fresh else existing_teachers(day)
        if plan:
            clear_day(day)
        else:
            plan = make_teachers(args.groups, day)
        before = verify(day)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics, as autovacuum keeps them on a live server
        db_name = connection.settings_dict["NAME"]
        connection.close()
        plan_path = Path(tmp) / "plan.json"
        plan_path.write_text(json.dumps(plan))

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        access_log = str(Path(tmp) / "access.log")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "mamnon.config.wsgi", "-b", f"127.0.0.1:{port}",
             "-w", str(args.workers), "-k", args.worker_class,
             *(["--threads", str(args.threads)] if args.worker_class == "gthread" else []), "--log-level", "warning",
             # each request's path and gunicorn's own time for it (microseconds): the server-side latency
             "--access-logfile", access_log, "--access-logformat", "%(U)s %(D)s"],
            cwd=ROOT, env=env, start_new_session=True,
        )
        wait_for(f"{base}/login/")
        log(f"gunicorn on 127.0.0.1:{port}: {args.workers} {args.worker_class} workers"
            + (f" x {args.threads} threads" if args.worker_class == "gthread" else ""))
        smoke(base, plan, day)

        locustfile = Path(tmp) / "locustfile.py"
        locustfile.write_text(LOCUSTFILE)
        prefix = str(Path(tmp) / "locust")
        log(f"locust: {args.users} users, each starting a submission every {args.users / args.rate:.2f} s "
            f"(constant_throughput), offering {args.rate:.0f} submissions/s together for {args.seconds} s, "
            f"on this same machine ({os.cpu_count()} cores shared with gunicorn and PostgreSQL)")
        load_before = os.getloadavg()[0]
        locust = subprocess.Popen(
            [sys.executable, "-m", "locust", "-f", str(locustfile), "--headless", "-u", str(args.users),
             "-r", str(args.users), "-t", f"{args.seconds}s", "--host", base, "--csv", prefix, "--only-summary",
             "--stop-timeout", "5", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
            cwd=tmp, start_new_session=True, stdout=subprocess.DEVNULL,
            env={**env, "BENCH_PLAN": str(plan_path), "BENCH_DAY": day.isoformat(),
                 "BENCH_PER_USER": str(args.rate / args.users)},
        )
        # CPU is sampled over the middle of the run, while every process is alive: from a few seconds in
        # (users spawned, connections open) to a second before locust stops.
        started = time.monotonic()
        warmup = min(3.0, args.seconds / 4)
        time.sleep(warmup)
        procs = bench_processes(gunicorn, locust, db_name)
        readings_before = {k: cpu_by_pid(v) for k, v in procs.items()}
        busy_before = machine_busy_seconds()
        time.sleep(max(0.0, started + args.seconds - 1 - time.monotonic()))
        procs = bench_processes(gunicorn, locust, db_name)  # again: backends may have been renewed
        readings_after = {k: cpu_by_pid(v) for k, v in procs.items()}
        busy_after = machine_busy_seconds()
        used = {k: cpu_used(readings_before[k], readings_after[k]) for k in procs}
        window = time.monotonic() - started - warmup
        locust.wait(timeout=args.seconds + 120)
        stats = read_stats(prefix)
        after = verify(day)
        ok = stats["requests"] - stats["failures"]
        submits = stats["rps"] * ok / stats["requests"] if stats["requests"] else 0.0
        log(f"{stats['requests']} submissions, {stats['failures']} failed; mean {stats['mean']:.0f} ms, "
            f"p50 {stats['p50']:.0f} ms, p95 {stats['p95']:.0f} ms, p99 {stats['p99']:.0f} ms")
        server = server_times(access_log)
        if server:
            log(f"server side (gunicorn's own time per submission, from its access log, without the wait for a "
                f"worker thread and the client's own delays): p50 {server['p50']:.0f} ms, p95 {server['p95']:.0f} ms, "
                f"p99 {server['p99']:.0f} ms")
        log(f"database: {after['rows_today'] - before['rows_today']} new attendance rows today, "
            f"{after['registers_saved']} registers saved by bench teachers, {after['history_rows']} audit rows, "
            f"{after['duplicate_rows']} duplicated (child, day) pairs")
        # CPU per submission of each part over the sampling window, at the run's mean rate (for orientation).
        measured = max(1.0, stats["rps"] * window)
        per = {k: 1000 * used[k] / measured for k in procs}
        total = sum(per.values())
        log("CPU per submission: " + ", ".join(f"{k} {v:.1f} ms" for k, v in per.items())
            + f"; total {total:.1f} ms, so two dedicated cores would allow about {2000 / total:.0f}/s"
            if total else "CPU per submission: not measured")
        ours = sum(used.values())
        others = max(0.0, (busy_after - busy_before) - ours) / window if busy_after else float("nan")
        log(f"load average before the run: {load_before:.2f}; during the sampling window the benchmark's processes "
            f"used {ours / window:.2f} of the {os.cpu_count()} cores and other work on the machine {others:.2f}")
        goal = submits >= 200 and stats["p95"] < 150
        log(f"goal (>= 200 submissions/s, p95 < 150 ms): {'met' if goal else 'NOT met'}; the load generator "
            f"(locust) ran on the same {os.cpu_count()}-core machine as gunicorn and PostgreSQL, on loopback")
        last_lines += [
            "[attendance_load] CPU ms per submission (load generator on the same machine): "
            + " ".join(f"{k}={v:.1f}" for k, v in per.items()) + f" total={total:.1f} other_work_cores={others:.2f}"
            + f" load_average_before={load_before:.2f}",
            f"BENCH attendance_load submits_per_s={submits:.1f} p50_ms={stats['p50']:.0f} p95_ms={stats['p95']:.0f}"
            + (f" server_p50_ms={server['p50']:.0f} server_p95_ms={server['p95']:.0f}" if server else ""),
        ]
    finally:
        stop(locust, "locust")
        stop(gunicorn, "gunicorn")
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - Django may not be set up yet
            pass
        drop()
        log(f"database {args.keep} kept" if args.keep else "scratch database dropped")
    for line in last_lines:
        print(line, flush=True)


if __name__ == "__main__":
    main()
