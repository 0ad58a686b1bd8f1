"""Demo weighing and measuring: the three rounds of the year (set by each province department: September,
December, March, due the 20th) and a measurement of every enrolled child in each round that has begun by the
demo's "today" (rounds still ahead are left empty, as in a real school year).

Each child gets a height-for-age and a BMI-for-age z-score that persist between rounds; heights and weights are
the WHO values at those z-scores for the child's age on the day (plus measuring noise), so that the z-scores the
engine computes give the Vietnamese city picture: 2-5% underweight, 3-8% stunted, a few percent wasted, and
overweight or obese about one child in ten, rising a little through the year. At about one school in five the
malnourished children catch up between rounds (a nutrition rehabilitation plan working), so their shares drop.
Scores and statuses are computed in one call of ``services.score_arrays`` per round and the rows written with
``bulk_copy`` (COPY on PostgreSQL), no history.
"""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
from django.db import connection

from mamnon.calc.growth import DATA_DIR
from mamnon.children import demo as children_demo
from mamnon.children.demo import bulk_copy, bulk_load
from mamnon.children.models import Enrolment
from mamnon.core.demo import DemoContext, register
from mamnon.health import selectors, services
from mamnon.health.models import Measurement, MeasurementRound
from mamnon.org.models import OrgUnit, SchoolYear

DAYS_PER_MONTH = 30.4375


@functools.cache
def _reference(name_2006: str, name_2007: str) -> dict[int, np.ndarray]:
    """Per sex (1 boys, 2 girls): rows (age in days, L, M, S) of WHO's 2006 table by day below 60 months and the
    2007 monthly rows from 60 months (mamnon/calc/data, the engine's own files)."""
    out = {}
    a = np.loadtxt(DATA_DIR / f"{name_2006}.csv", delimiter=",", skiprows=1)
    b = np.loadtxt(DATA_DIR / f"{name_2007}.csv", delimiter=",", skiprows=1)
    for sex in (1, 2):
        early = a[(a[:, 0] == sex) & (a[:, 1] < 60 * DAYS_PER_MONTH)][:, 1:]
        late = b[b[:, 0] == sex][:, 1:].copy()
        late[:, 0] *= DAYS_PER_MONTH
        out[sex] = np.vstack([early, late])
    return out


def _lms_at(ref: dict[int, np.ndarray], age_days: np.ndarray, male: np.ndarray) -> tuple[np.ndarray, ...]:
    lms = [np.empty(len(age_days)) for _ in range(3)]
    for sex, rows in ref.items():
        sel = male if sex == 1 else ~male
        for j in range(3):
            lms[j][sel] = np.interp(age_days[sel], rows[:, 0], rows[:, j + 1])
    return tuple(lms)


def _from_z(z: np.ndarray, L: np.ndarray, M: np.ndarray, S: np.ndarray) -> np.ndarray:
    """The measurement at z-score ``z`` (LMS; L = 0 does not occur in these tables)."""
    return M * np.power(1 + L * S * z, 1 / L)


def body(age_days: np.ndarray, male: np.ndarray, hz: np.ndarray, bz: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Height (cm) and weight (kg) of a child at height-for-age z ``hz`` and BMI-for-age z ``bz`` (WHO 2006
    standards below 60 months, 2007 reference from 60), so the demo's shares are those of the z-scores drawn."""
    height = _from_z(hz, *_lms_at(_reference("lhfa_2006", "hfa_2007"), age_days, male))
    bmi = _from_z(bz, *_lms_at(_reference("bfa_2006", "bfa_2007"), age_days, male))
    return height, bmi * (height / 100) ** 2


def _rounds(year: SchoolYear, units) -> list[MeasurementRound]:
    made = []
    names = {1: "Cân đo lần 1 (tháng 9)", 2: "Cân đo lần 2 (tháng 12)", 3: "Cân đo lần 3 (tháng 3)"}
    for unit in units:
        for number in (1, 2, 3):
            first, last, due = services.default_round_dates(year, number, 20)
            made.append(MeasurementRound(unit=unit, school_year=year, number=number, name=names[number],
                                         start_date=first, end_date=last, deadline=due))
    return MeasurementRound.objects.bulk_create(made)


@register("health", 40)
def generate(ctx: DemoContext, today: dt.date | None = None) -> None:
    info = ctx.data.get("children")
    if not info or ctx.scale == "national":
        return
    year = SchoolYear.objects.get(pk=info["school_year_id"])
    today = today or children_demo.demo_today()
    provinces = list(OrgUnit.objects.filter(pk=ctx.data["org"]["province_id"]))
    rounds = _rounds(year, provinces)
    rows = list(Enrolment.objects.filter(group__school_year=year).order_by("child_id", "start_date").values_list(
        "child_id", "group_id", "school_id", "start_date", "end_date", "child__birth_date", "child__sex"))
    if not rows:
        return
    n = len(rows)
    child = np.array([r[0] for r in rows], dtype=np.int64)
    group = np.array([r[1] for r in rows], dtype=np.int64)
    school = np.array([r[2] for r in rows], dtype=np.int64)
    start = np.array([r[3] for r in rows], dtype="datetime64[D]")
    end = np.array([r[4] or dt.date(2100, 1, 1) for r in rows], dtype="datetime64[D]")
    born = np.array([r[5] for r in rows], dtype="datetime64[D]")
    male = np.array([r[6] == "M" for r in rows])
    gen = np.random.default_rng(ctx.seed + 404)
    # Persistent z-scores per child, drawn for Vietnamese city preschools (a few percent stunted, underweight and
    # thin; overweight or obese about one child in ten): height-for-age around -0.35; BMI-for-age around -0.1
    # with a heavy group (8%) about 2 SD above, whose weight keeps rising a little through the year.
    hz = gen.normal(-0.35, 0.95, n)
    heavy = gen.random(n) < 0.08
    bz = gen.normal(-0.1, 0.95, n) + 2.0 * heavy
    heavy_drift = np.where(heavy | (bz > 0.8), gen.normal(0.03, 0.03, n), 0.0)
    schools = np.unique(school)
    improving = np.isin(school, schools[gen.random(len(schools)) < 0.2])
    th = selectors.thresholds_on(today)
    total = 0
    done = ctx.progress("health: cân đo", len(rounds))
    with bulk_load(Measurement, progress=ctx.progress):
        for rnd in sorted(rounds, key=lambda r: r.number):
            if rnd.start_date > today:
                done(1)
                continue
            last = min(rnd.end_date, today, rnd.start_date + dt.timedelta(days=18))
            span = max((last - rnd.start_date).days, 0)
            day = np.datetime64(rnd.start_date) + gen.integers(0, span + 1, n).astype("timedelta64[D]")
            # A child who joins during the round is measured on her first days (every child weighed: seed targets).
            day = np.maximum(day, start)
            ok = (day <= np.datetime64(min(rnd.end_date, today))) & (day <= end) & (day > born)
            age = (day - born).astype(np.int64)
            k = rnd.number - 1
            # At about one school in five the rehabilitation plan works: thin and short children catch up.
            bz_k = bz + np.where(improving & (bz < -1.3), 0.4 * k, 0.0) + heavy_drift * k
            hz_k = hz + np.where(improving & (hz < -1.5), 0.15 * k, 0.0)
            height, weight = body(age, male, hz_k, bz_k)
            height = np.round(height + gen.normal(0, 0.3, n), 1)
            weight = np.round(weight + gen.normal(0, 0.08, n), 1)
            lying = age < 731
            sel = np.flatnonzero(ok)
            # one row per child: the first enrolment open on the day
            sel = sel[np.unique(child[sel], return_index=True)[1]]
            s = services.score_arrays(np.where(male[sel], "M", "F"), age[sel], weight[sel], height[sel],
                                      lying[sel], False, thresholds=th)
            days = day[sel].astype(dt.date)

            def z(arr):
                return [None if x != x else round(float(x), 2) for x in arr]

            waz, haz, whz, baz = (z(s[key]) for key in ("waz", "haz", "whz", "baz"))
            total += bulk_copy(Measurement, [
                "school_id", "child_id", "group_id", "round_id", "date", "age_days", "weight_kg", "height_cm",
                "measured_lying", "oedema", "waz", "haz", "whz", "baz", "flags", "wfa_status", "hfa_status",
                "wfh_status", "note"],
                zip(school[sel].tolist(), child[sel].tolist(), group[sel].tolist(), [rnd.pk] * len(sel),
                    days.tolist(), age[sel].tolist(), [str(x) for x in weight[sel]], [str(x) for x in height[sel]],
                    lying[sel].tolist(), [False] * len(sel), waz, haz, whz, baz, s["flags"].tolist(),
                    s["wfa_status"].tolist(), s["hfa_status"].tolist(), s["wfh_status"].tolist(), [""] * len(sel),
                    strict=True))
            done(1)
    if connection.vendor == "postgresql":  # "Populating a Database": run ANALYZE afterwards
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Measurement._meta.db_table)}")
    ctx.data["health"] = {"rounds": len(rounds), "measurements": total}
