"""Demo weighing and measuring: the three rounds of the year (set by each province department: September,
December, March, due the 20th) and a measurement of every enrolled child in each round that has begun by the
demo's "today" (rounds still ahead are left empty, as in a real school year).

Heights and weights are drawn around rough medians for the age with a child-specific offset that persists
between rounds, so that z-scores computed by the WHO engine give the Vietnamese picture: a few percent
underweight and stunted, a few percent wasted, and an overweight share that grows through the year in the
cities. At about one school in five the malnourished children gain more between rounds (a nutrition
rehabilitation plan working), so their shares drop. Scores and statuses are computed in one call of
``services.score_arrays`` per round and the rows written with ``bulk_copy`` (COPY on PostgreSQL), no history.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from mamnon.children import demo as children_demo
from mamnon.children.demo import bulk_copy, bulk_load
from mamnon.children.models import Enrolment
from mamnon.core.demo import DemoContext, register
from mamnon.health import selectors, services
from mamnon.health.models import Measurement, MeasurementRound
from mamnon.org.models import OrgUnit, SchoolYear

DAYS_PER_MONTH = 30.4375


def median_height(months: np.ndarray, male: np.ndarray) -> np.ndarray:
    """Rough medians (cm): enough for plausible demo data; the z-scores come from the WHO engine."""
    m = np.clip(months, 0, 84)
    h = np.where(m < 24, 50.0 + 2.6 * m - 0.042 * m * m, 87.0 + 0.62 * (m - 24) - 0.0018 * (m - 24) ** 2)
    return h + np.where(male, 0.8, 0.0)


def median_weight(months: np.ndarray, male: np.ndarray) -> np.ndarray:
    m = np.clip(months, 0, 84)
    w = np.where(m < 24, 3.4 + 0.62 * m - 0.011 * m * m, 12.0 + 0.19 * (m - 24))
    return w + np.where(male, 0.3, 0.0)


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
    # Persistent offsets (SD units of the rough medians): a few children small or thin, some heavy.
    h_off = gen.normal(-0.15, 0.9, n) - 1.6 * (gen.random(n) < 0.04)
    w_off = 0.6 * h_off + gen.normal(0.05, 0.8, n) - 1.3 * (gen.random(n) < 0.03) + 1.8 * (gen.random(n) < 0.05)
    heavy_drift = gen.normal(0.08, 0.05, n)  # overweight grows through the year
    schools = np.unique(school)
    improving = np.isin(school, schools[gen.random(len(schools)) < 0.2])
    th = selectors.thresholds_on(today)
    total = 0
    done = ctx.progress("health: cân đo", len(rounds))
    with bulk_load(Measurement, progress=ctx.progress):
        for i, rnd in enumerate(sorted(rounds, key=lambda r: r.number)):
            if rnd.start_date > today:
                done(i + 1)
                continue
            last = min(rnd.end_date, today, rnd.start_date + dt.timedelta(days=18))
            span = max((last - rnd.start_date).days, 0)
            day = np.datetime64(rnd.start_date) + gen.integers(0, span + 1, n).astype("timedelta64[D]")
            ok = (start <= day) & (day <= end) & (day > born)
            age = (day - born).astype(np.int64)
            months = age / DAYS_PER_MONTH
            k = rnd.number - 1
            gain = np.where(improving & (w_off < -1.0), 0.45 * k, 0.0)
            hoff = h_off + np.where(improving & (h_off < -1.2), 0.2 * k, 0.0)
            woff = w_off + gain + heavy_drift * k * (w_off > 0.5)
            height = np.round(median_height(months, male) + 3.8 * hoff + gen.normal(0, 0.3, n), 1)
            weight = np.round(median_weight(months, male) * (1 + 0.11 * woff) + gen.normal(0, 0.1, n), 1)
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
            done(i + 1)
    ctx.data["health"] = {"rounds": len(rounds), "measurements": total}
