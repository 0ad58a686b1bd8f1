"""Benchmark: the kitchen's nutrient analysis and least-cost balancing.

Goals (issue 6): the nutrient analysis of a month of menus for every school of a district in under 1 s, and the
least-cost balancing (HiGHS) of 5 days x 2 age bands in under 0.5 s. Uses DATABASE_URL when set (a scratch
database beside it, dropped afterwards), else a temporary SQLite file.

The district has 30 schools (a Hải Phòng district of the seeds has 20-40), each with the demo's five-week
cycle of weekly menus for the creche and kindergarten bands (6-7 dishes a day, 1-4 foods a dish, from the
starter catalogue and the demo's illustrative staples) and its own prices. Timed:

* analysis: ``selectors.ration_rows`` (one query for the month's ration rows of all 30 schools) +
  ``selectors.analyse`` (food table, prices, norms, one numpy analysis) for every (menu, day);
* balance: one school's two menus of a week read, assembled and solved as one block LP with
  ``mamnon.calc.menu_balance.balance``; the solution is then checked against the norms with the analysis code.

Prints, last:

    BENCH kitchen analysis_s=<a> balance_s=<b>
"""

import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scratch import scratch_database  # noqa: E402  (bench/ is the script directory)

SCHOOLS = 30
REPEAT = 3


def build(today: dt.date) -> list[int]:
    from mamnon.core.demo import DemoContext
    from mamnon.core.roles import Role
    from mamnon.kitchen import demo
    from mamnon.org import services
    from mamnon.org.models import OrgLevel, School

    levels = {}
    for code, name, rank, is_school, officer in [
        ("province", "Tỉnh/Thành phố", 1, False, Role.PROVINCE_OFFICER),
        ("district", "Quận/Huyện", 2, False, Role.DISTRICT_OFFICER),
        ("commune", "Xã/Phường/Thị trấn", 3, False, Role.COMMUNE_OFFICER),
        ("school", "Trường", 4, True, ""),
    ]:
        levels[code], _ = OrgLevel.objects.update_or_create(
            code=code, defaults={"name": name, "rank": rank, "is_school": is_school, "officer_role": officer})
    city = services.unit_create(code="HP", name="Thành phố Hải Phòng", level=levels["province"], parent=None)
    district = services.unit_create(code="ANLAO", name="Huyện An Lão", level=levels["district"], parent=city)
    commune = services.unit_create(code="TT-ANLAO", name="Thị trấn An Lão", level=levels["commune"], parent=district)
    ids = []
    for i in range(SCHOOLS):
        school = services.school_create(code=f"MN-{i:03d}", name=f"Trường Mầm non số {i + 1}", parent=district,
                                        commune=commune, ownership=School.Ownership.PUBLIC)
        ids.append(school.pk)
    import random

    ctx = DemoContext(scale="small", seed=1, rng=random.Random(1), progress=lambda label, total: (lambda n=1: None))
    foods, dishes = demo._catalogue()
    demo._prices(ids, foods, ctx.rng)
    demo._menus(ctx, ids, today, dishes)
    return ids


def main() -> None:
    url, drop = scratch_database()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamnon.config.settings")
    os.environ.setdefault("MAMNON_DEBUG", "0")
    import django

    django.setup()
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        import numpy as np

        from mamnon.calc import nutrition
        from mamnon.calc.menu_balance import balance
        from mamnon.kitchen import selectors
        from mamnon.kitchen.models import Menu, MenuItem

        today = dt.date.today()
        ids = build(today)
        start = selectors.monday(today) - dt.timedelta(weeks=4)
        end = start + dt.timedelta(days=27)
        print(f"{SCHOOLS} schools, {Menu.objects.count()} weekly menus, {MenuItem.objects.count()} dishes served")
        money = {s: float(v) for s, v in selectors.KitchenSetting.objects.values_list("school_id", "food_money")}

        best = float("inf")
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            ration = selectors.ration_rows(school_ids=ids, start=start, end=end)
            days = selectors.analyse(ration, on=today, money=money)
            best = min(best, time.perf_counter() - t0)
        passed = sum(d.passed for d in days)
        print(f"analysis: {len(ration)} ration rows, {len(days)} menu-days ({passed} meet the norms) "
              f"in {best:.3f} s")
        analysis_s = best

        week = selectors.monday(today)
        menus = list(Menu.objects.filter(school_id=ids[0], week_start=week).order_by("band"))
        best = float("inf")
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            r = selectors.ration_rows(menu_ids=[m.pk for m in menus])
            table = selectors.food_table(r.food_id)
            idx = table.index(r.food_id)
            keys = r.menu_id * 8 + r.weekday
            _uniq, groups = np.unique(keys, return_inverse=True)
            group_band = np.array(r.band)[np.unique(groups, return_index=True)[1]]
            norms = {b: selectors.norm_for(b, on=week).as_array() for b in set(r.band)}
            norm_arr = np.array([norms[b] for b in group_band])
            prices = selectors.price_array(r.school_id, r.food_id, selectors.prices([ids[0]], r.food_id.tolist()))
            result = balance(groups=groups, grams=np.nan_to_num(r.grams), composition=table.composition[idx],
                             inedible_pct=table.inedible[idx], price_per_kg=prices, norms=norm_arr,
                             budget=money[ids[0]], low=r.low, high=r.high)
            best = min(best, time.perf_counter() - t0)
        check = nutrition.analyse(groups=groups, grams=result.grams, composition=table.composition[idx],
                                  animal=table.animal[idx], inedible_pct=table.inedible[idx], price_per_kg=prices,
                                  norms=norm_arr, budget=money[ids[0]])
        solved = result.group_feasible
        ok = bool((check.passed[solved] & check.budget_ok[solved]).all())
        print(f"balance: {len(group_band)} day-bands ({int(solved.sum())} solvable), {len(r)} quantities, "
              f"solution meets the norms (checked without the solver): {ok}; {best:.3f} s")
        print(f"BENCH kitchen analysis_s={analysis_s:.3f} balance_s={best:.3f}")
    finally:
        from django.db import connections

        connections.close_all()
        drop()


if __name__ == "__main__":
    main()
