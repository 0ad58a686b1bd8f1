"""Reads of the fees domain: the inputs of a school-month's statements in a fixed number of queries, lists,
arrears, the QR code of a statement."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import segno
from django.db.models import Count, Q, QuerySet, Sum

from mamnon.attendance import selectors as day
from mamnon.attendance.models import AbsenceRequest, Attendance
from mamnon.calc import fees as calc
from mamnon.calc import schooldays, vietqr
from mamnon.children.models import ChildSupport, Enrolment
from mamnon.core import scoping
from mamnon.fees.models import FEE_WRITERS, FeeTable, Statement, StatementLine, SupportEligibility, SupportPolicy
from mamnon.org.models import School, SchoolYear

KINDER_BANDS = frozenset({"k3", "k4", "k5", "mixed_kinder"})
SUPPORT_FLAGS = {
    "for_poor": "poor_household",
    "for_near_poor": "near_poor_household",
    "for_ethnic_minority_disadvantaged": "ethnic_minority_disadvantaged",
    "for_orphan": "orphan",
}


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=pycalendar.monthrange(first.year, first.month)[1])


def reference_for(child_id: int, month: dt.date) -> str:
    """The payment reference of a child's statement for a month: 'MN' + yymm + 'C' + child id (ASCII only, so
    banking apps keep it intact in the transfer's description)."""
    return f"MN{month.year % 100:02d}{month.month:02d}C{child_id}"


def fee_schools(user, *, write: bool = False) -> QuerySet[School]:
    """Schools whose fees ``user`` keeps (accountant, principal, vice-principal) or, to read, also oversees."""
    roles = FEE_WRITERS if write else FEE_WRITERS | scoping.OFFICER_ROLES
    return scoping.restrict_to_roles(School.objects.select_related("unit"), user, roles, "unit__path")


def year_of_month(month: dt.date) -> SchoolYear | None:
    first, last = month_bounds(month)
    return SchoolYear.objects.filter(start_date__lte=last, end_date__gte=first).order_by("-start_date").first()


def policies_in_force(school: School, on: dt.date) -> list[SupportPolicy]:
    """National support policies and those of the units above the school, in force on ``on``."""
    ancestors = [int(x) for x in school.unit.path.strip("/").split("/") if x]
    return list(
        SupportPolicy.objects.filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .filter(Q(unit__isnull=True) | Q(unit_id__in=ancestors))
        .order_by("unit_id", "code")
    )


def eligible(policy: SupportPolicy, support: dict, band: str) -> bool:
    if policy.kindergarten_only and band not in KINDER_BANDS:
        return False
    if policy.for_disability and support.get("disability_type"):
        return True
    if policy.for_war_merit and support.get("war_merit"):
        return True
    return any(getattr(policy, flag) and support.get(col) for flag, col in SUPPORT_FLAGS.items())


def eligibility_in_month(child_ids, first: dt.date, last: dt.date) -> dict[int, set[str]]:
    """Situations recorded on the fees side (SupportEligibility) covering part of the month, per child: one query."""
    out: dict[int, set[str]] = {}
    for c, situation in (SupportEligibility.objects.filter(child_id__in=list(child_ids), valid_from__lte=last)
                         .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
                         .values_list("child_id", "situation")):
        out.setdefault(c, set()).add(situation)
    return out


@dataclass
class ChildInput:
    child_id: int
    band: str
    month: calc.ChildMonth
    carried: list[int] = field(default_factory=list)  # earlier statements whose balance this one carries


@dataclass
class MonthInputs:
    school: School
    month: dt.date
    year: SchoolYear
    days: list[dt.date]
    children: list[ChildInput]
    policies: list[SupportPolicy]


def month_inputs(*, school: School, month: dt.date, year: SchoolYear, table: FeeTable) -> MonthInputs:
    """Everything a school-month's statements need, whatever the number of children: the school days, the
    semi-boarding enrolments, one aggregate of absences per child, the absences notified before each day's
    cut-off, the support flags and months of support used, and the balances not yet carried over."""
    first, last = month_bounds(month)
    days = day.school_days(school=school, start=first, end=last)
    spans: dict[int, list] = {}
    for child_id, s, e, band in (
        Enrolment.objects.filter(school=school, group__school=school, group__semi_boarding=True, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .order_by("child_id", "start_date")
        .values_list("child_id", "start_date", "end_date", "group__age_band")
    ):
        spans.setdefault(child_id, []).append((max(s, first), min(e or last, last), band))
    child_ids = list(spans)
    # Billable days: school days inside each span (vectorised), summed per child.
    flat = [(c, a, b) for c, rows in spans.items() for a, b, _band in rows]
    counts = schooldays.count_days_in_ranges(days, [(a, b) for _c, a, b in flat])
    billable: dict[int, int] = {}
    for (c, _a, _b), n in zip(flat, counts, strict=True):
        billable[c] = billable.get(c, 0) + int(n)
    # Absences marked on school days: one aggregate per child (policy "eaten").
    absent = dict(
        Attendance.objects.filter(school=school, date__in=days, status__in=day.ABSENT_STATUSES)
        .values("child_id").annotate(n=Count("id")).values_list("child_id", "n")
    )
    notified: dict[int, set] = {}
    if table.policy == calc.REFUND and days:
        hour = day.cutoff_hour(school_unit=school.unit, day=first)
        cutoffs = {d: day.at_local_hour(d, hour) for d in days}
        marks = [calc.Mark(c, d, at) for c, d, at in Attendance.objects.filter(
            school=school, date__in=days, status__in=day.ABSENT_STATUSES,
        ).values_list("child_id", "date", "recorded_at")]
        notices = [calc.Notice(c, a, b, at) for c, a, b, at in AbsenceRequest.objects.filter(
            school=school, date_from__lte=last, date_to__gte=first).values_list(
            "child_id", "date_from", "date_to", "requested_at")]
        notified = calc.notified_days(days, cutoffs, marks, notices)
    # Support: flags, and months already granted this school year per (child, policy code).
    policies = policies_in_force(school, first)
    flags = {}
    used: dict[tuple[int, str], int] = {}
    if policies:
        flags = {row["child_id"]: row for row in ChildSupport.objects.filter(child_id__in=child_ids).values(
            "child_id", "disability_type", *SUPPORT_FLAGS.values())}
        for c, situations in eligibility_in_month(child_ids, first, last).items():
            row = flags.setdefault(c, {"child_id": c})
            row.update({s: True for s in situations})
        year_first, _ = month_bounds(year.start_date)
        used = {(c, code): n for c, code, n in StatementLine.objects.filter(
            school=school, kind=StatementLine.Kind.SUPPORT, statement__month__gte=year_first,
            statement__month__lt=first).values("statement__child_id", "support_code")
            .annotate(n=Count("statement_id", distinct=True))
            .values_list("statement__child_id", "support_code", "n")}
    # Balances not carried yet (the latest statements before this month).
    balances: dict[int, tuple[int, list[int]]] = {}
    for sid, c, total, paid in Statement.objects.filter(
            school=school, month__lt=first, carried_into__isnull=True).values_list("id", "child_id", "total", "paid"):
        amount, ids = balances.get(c, (0, []))
        balances[c] = (amount + int(total - paid), ids + [sid])
    children = []
    for c in child_ids:
        band = spans[c][-1][2]
        own_days = {d for d in days if any(a <= d <= b for a, b, _band in spans[c])} if c in notified else set()
        grants = tuple(
            calc.SupportGrant(p.code, p.name, int(p.amount_per_month), p.max_months_per_year - used.get((c, p.code), 0))
            for p in policies if c in flags and eligible(p, flags[c], band)
        )
        balance, carried = balances.get(c, (0, []))
        children.append(ChildInput(c, band, calc.ChildMonth(
            billable_days=billable.get(c, 0), absent_days=absent.get(c, 0),
            notified_days=len(notified.get(c, set()) & own_days), supports=grants, previous_balance=balance,
        ), carried))
    # Children with a balance but no enrolment this month still get a statement carrying it.
    for c, (balance, carried) in balances.items():
        if c not in spans and balance:
            children.append(ChildInput(c, "", calc.ChildMonth(0, previous_balance=balance), carried))
    return MonthInputs(school, first, year, days, children, policies)


# --- lists ------------------------------------------------------------------------------------------


def statements_for(user, *, school: School | None = None, month: dt.date | None = None) -> QuerySet[Statement]:
    qs = Statement.objects.for_user(user).select_related("child", "school__unit", "carried_into")
    if school is not None:
        qs = qs.filter(school=school)
    if month is not None:
        qs = qs.filter(month=month.replace(day=1))
    return qs


def month_summary(qs: QuerySet[Statement]) -> dict:
    agg = qs.aggregate(n=Count("id"), total=Sum("total"), paid=Sum("paid"), support=Sum("support_amount"),
                       meal=Sum("meal_amount"), fees=Sum("fees_amount"))
    return {k: (v if v is not None else Decimal(0)) for k, v in agg.items()}


def arrears(user, *, school: School) -> QuerySet[Statement]:
    """Statements with money still owed (not carried into a later one), oldest first."""
    from django.db.models import F

    return (statements_for(user, school=school).filter(carried_into__isnull=True, total__gt=F("paid"))
            .order_by("month", "child__name_folded"))


# --- the QR code --------------------------------------------------------------------------------------


def qr_payload(statement: Statement) -> str | None:
    """The VietQR payload of what is still owed on ``statement``, or None (paid, carried, no account)."""
    table = statement.table
    if statement.carried_into_id or statement.outstanding <= 0 or not (table.bank_bin and table.bank_account):
        return None
    try:
        return vietqr.build(bin=table.bank_bin, account=table.bank_account, amount=statement.outstanding,
                            reference=statement.reference)
    except vietqr.VietQRError:
        return None


def qr_svg(payload: str) -> str:
    """The QR code as inline SVG (error correction M, as banking apps scan it from a printed sheet)."""
    return segno.make(payload, error="m", micro=False).svg_inline(scale=4, border=4)
