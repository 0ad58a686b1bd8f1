"""Demo fees: a fee table for every school of the demo year, and Sao Sáng's statements and payments.

Sao Sáng (seed 002) charges 28,000 đ a day (25,000 food + 3,000 fuel) by the days eaten, with a water fee;
its (synthetic) account at VietinBank (BIN 970415) puts a VietQR code on every statement. Its statements
are issued month by month from the start of the year to the demo's "today" through the same service the
accountant uses (statements_generate), and most families pay each month before the next is issued (cash or
transfer, some late, some partly), so the arrears list and carried balances have something to show. Other
schools get a fee table only (daily rates of 20,000-30,000 đ): cheap at city scale, rows written in bulk.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.contrib.auth import get_user_model

from mamnon.children import demo as children_demo
from mamnon.children.demo import bulk_copy
from mamnon.core.demo import DemoContext, register
from mamnon.fees import services
from mamnon.fees.default_support import load_default_support
from mamnon.fees.models import FeeTable, MonthlyFee, Payment, Statement, SupportPolicy
from mamnon.org.models import School, SchoolYear

SAO_SANG_BIN = "970415"
SAO_SANG_ACCOUNT = "113000088888"  # synthetic
SAO_SANG_HOLDER = "TRUONG MAM NON SAO SANG"


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    out, m = [], first.replace(day=1)
    while m <= last:
        out.append(m)
        m = (m + dt.timedelta(days=32)).replace(day=1)
    return out


def _pay(rng: np.random.Generator, actor, school, month: dt.date) -> int:
    """Payments for the month's statements: 88% in full, 5% half, the rest nothing (yet)."""
    rows = list(Statement.objects.filter(month=month, school=school, paid=0,
                                         carried_into__isnull=True).values_list("id", "school_id", "child_id", "total",
                                                                                "reference"))
    if not rows:
        return 0
    draw = rng.random(len(rows))
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    payments, paid = [], {}
    for (sid, school_id, child_id, total, ref), p in zip(rows, draw, strict=True):
        if total <= 0 or p > 0.93:
            continue
        amount = total if p <= 0.88 else Decimal(int(total) // 2)
        transfer = p < 0.6
        day = next_month + dt.timedelta(days=int(p * 100) % 9)
        payments.append((school_id, sid, child_id, amount, "transfer" if transfer else "cash", day,
                         f"FT{month:%y%m}{sid:07d}" if transfer else "", f"{ref} tien an" if transfer else "",
                         actor.pk))
        paid[sid] = amount
    bulk_copy(Payment, ["school_id", "statement_id", "child_id", "amount", "method", "paid_on", "bank_ref",
                        "description", "recorded_by_id"], payments)
    objs = Statement.objects.in_bulk(list(paid))
    for sid, amount in paid.items():
        objs[sid].paid = amount
    Statement.objects.bulk_update(list(objs.values()), ["paid"], batch_size=500)
    return len(payments)


@register("fees", 60)
def generate(ctx: DemoContext) -> None:
    info = ctx.data.get("children")
    org = ctx.data.get("org")
    if not info or not org:
        return
    load_default_support(SupportPolicy)
    year = SchoolYear.objects.get(pk=info["school_year_id"])
    rng = np.random.default_rng([ctx.seed, 60])
    sao_sang = org.get("sao_sang_id")
    school_ids = list(School.objects.values_list("pk", flat=True))
    existing = set(FeeTable.objects.filter(school_year=year).values_list("school_id", flat=True))
    todo = [s for s in school_ids if s not in existing]
    step = ctx.progress("fees: fee tables", len(todo))
    food = rng.choice(np.array([18000, 20000, 22000, 25000, 27000]), size=len(todo))
    tables = []
    for i, school_id in enumerate(todo):
        if school_id == sao_sang:
            tables.append((school_id, year.pk, 25000, 3000, "eaten", SAO_SANG_BIN, SAO_SANG_ACCOUNT, SAO_SANG_HOLDER,
                           "Kế hoạch 88/KH-MNSS: 28.000đ/ngày (25.000đ tiền ăn, 3.000đ chất đốt)"))
        else:
            tables.append((school_id, year.pk, int(food[i]), 2000 if i % 3 else 3000,
                           "refund" if i % 4 == 0 else "eaten", "", "", "", ""))
    bulk_copy(FeeTable, ["school_id", "school_year_id", "food_per_day", "fuel_per_day", "policy", "bank_bin",
                         "bank_account", "account_name", "note"], tables)
    step(len(todo))
    ids = dict(FeeTable.objects.filter(school_year=year, school_id__in=todo).values_list("school_id", "id"))
    bulk_copy(MonthlyFee, ["table_id", "school_id", "name", "amount"],
              [(ids[s], s, "Nước uống", 10000) for s in todo])
    if sao_sang is None or ctx.scale == "national":
        return
    actor = get_user_model().objects.filter(username="ketoan.saosang").first() or \
        get_user_model().objects.filter(is_superuser=True).first()
    school = School.objects.select_related("unit").get(pk=sao_sang)
    today = children_demo.demo_today()
    months = _months(year.start_date, min(today, year.end_date))
    step = ctx.progress("fees: Sao Sáng statements", len(months))
    counts = {"statements": 0, "payments": 0}
    for i, month in enumerate(months):
        result = services.statements_generate(actor=actor, school=school, month=month)
        counts["statements"] += result.created
        if i < len(months) - 1:
            counts["payments"] += _pay(rng, actor, school, month)
        step(1)
    ctx.data["fees"] = counts
