"""Writes of the fees domain: fee tables, a school-month's statements, payments. Keyword-only, atomic.

Errors are ``ValidationError`` with English msgids translated to Vietnamese, naming the field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from mamnon.calc import fees as calc
from mamnon.calc import vietqr
from mamnon.children.models import Child, ChildStatus
from mamnon.core import scoping
from mamnon.fees import selectors
from mamnon.fees.models import FeeTable, MonthlyFee, Payment, Statement, StatementLine, SupportEligibility
from mamnon.org.models import School, SchoolYear


def _money(value, field_name: str, *, positive: bool = False) -> Decimal:
    try:
        n = calc.dong(value)
    except calc.MoneyError:
        raise ValidationError({field_name: _("Enter a whole number of đồng.")}) from None
    if n < 0 or (positive and n == 0):
        raise ValidationError({field_name: _("The amount must be greater than zero.") if positive
                               else _("The amount cannot be negative.")})
    return Decimal(n)


def _require_writer(actor, school: School) -> None:
    if not selectors.fee_schools(actor, write=True).filter(pk=school.pk).exists():
        raise PermissionDenied(_("Only the school's accountant, principal or vice-principal keep its fees."))


# --- fee tables ------------------------------------------------------------------------------------


@transaction.atomic
def fee_table_save(*, actor, school: School, school_year: SchoolYear, food_per_day, fuel_per_day, policy: str,
                   refund_whole_rate: bool = False, bank_bin: str = "", bank_account: str = "",
                   account_name: str = "", note: str = "", fees: list[tuple[str, object]] = ()) -> FeeTable:
    """Create or replace the school's fee table for the year (its monthly fees replaced by ``fees``).

    The meal policy cannot change once statements of the year exist: a year is billed one way, never both.
    """
    _require_writer(actor, school)
    errors: dict[str, list[str]] = {}

    def fail(key, message):
        errors.setdefault(key, []).append(message)

    amounts = {}
    for key, value in (("food_per_day", food_per_day), ("fuel_per_day", fuel_per_day)):
        try:
            amounts[key] = _money(value, key)
        except ValidationError as exc:
            for k, msgs in exc.message_dict.items():
                for m in msgs:
                    fail(k, m)
    if amounts.get("food_per_day") == 0:
        fail("food_per_day", _("The amount must be greater than zero."))
    if policy not in calc.POLICIES:
        fail("policy", _("Choose one of the two policies."))
    if bank_bin or bank_account:
        try:
            vietqr.build(bin=bank_bin, account=bank_account)
        except vietqr.VietQRError as exc:
            fail("bank_bin" if exc.field == "bin" else "bank_account",
                 _("The bank BIN must be 6 digits.") if exc.field == "bin"
                 else _("The account number must be 6 to 19 letters or digits."))
    clean_fees = []
    for i, (name, amount) in enumerate(fees, start=1):
        name = (name or "").strip()
        if not name:
            fail("fees", _("Fee %(n)d: enter its name.") % {"n": i})
            continue
        try:
            clean_fees.append((name, _money(amount, "fees")))
        except ValidationError:
            fail("fees", _("Fee %(n)d (%(name)s): enter a whole, non-negative number of đồng.")
                 % {"n": i, "name": name})
    table = FeeTable.objects.select_for_update().filter(school=school, school_year=school_year).first()
    if table is not None and table.policy != policy and table.statements.exists():
        fail("policy", _("Statements of this school year were issued under the other policy; the policy cannot "
                         "change in the middle of a year."))
    if errors:
        raise ValidationError(errors)
    values = dict(food_per_day=amounts["food_per_day"], fuel_per_day=amounts["fuel_per_day"], policy=policy,
                  refund_whole_rate=refund_whole_rate, bank_bin=bank_bin, bank_account=bank_account,
                  account_name=account_name, note=note)
    if table is None:
        table = FeeTable.objects.create(school=school, school_year=school_year, **values)
    else:
        for k, v in values.items():
            setattr(table, k, v)
        table.save()
        table.fees.all().delete()
    for name, amount in clean_fees:
        MonthlyFee.objects.create(table=table, school=school, name=name, amount=amount)
    return table


# --- statements -------------------------------------------------------------------------------------


@dataclass
class GenerateResult:
    created: int = 0
    replaced: int = 0
    kept: list[str] = field(default_factory=list)  # references of statements already (partly) paid: untouched


def _labels(policy: str) -> dict[str, str]:
    return {
        calc.MEAL: _("Meals eaten") if policy == calc.EATEN else _("Meals, school days"),
        calc.REFUND_LINE: _("Refund: absences notified before the cut-off"),
        calc.BALANCE: _("Previous balance"),
    }


@transaction.atomic
def statements_generate(*, actor, school: School, month: dt.date) -> GenerateResult:
    """Issue (or re-issue) the statements of every child of ``school`` for ``month``, in bulk.

    A statement with a payment is kept as it is; the others of the month are replaced. Earlier statements
    whose balance is carried get ``carried_into`` set. Queries: a fixed number, whatever the school's size.
    """
    _require_writer(actor, school)
    first, _last = selectors.month_bounds(month)
    year = selectors.year_of_month(first)
    table = FeeTable.objects.filter(school=school, school_year=year).first() if year else None
    if table is None:
        raise ValidationError({"month": _("There is no fee table for the school year of %(month)s: set the fees "
                                          "first.") % {"month": first.strftime("%m/%Y")}})
    existing = Statement.objects.select_for_update().filter(school=school, month=first)
    kept = list(existing.filter(paid__gt=0).values_list("child_id", "reference"))
    kept_children = {c for c, _r in kept}
    replaced_ids = list(existing.exclude(child_id__in=kept_children).values_list("id", flat=True))
    # Undo the carrying done by the statements about to be replaced, then drop them.
    Statement.objects.filter(carried_into_id__in=replaced_ids).update(carried_into=None)
    # Unpaid drafts replaced by a re-issue: deleted in one statement each (no per-row signals or history
    # rows; the new statements' history records the re-issue).
    StatementLine.objects.filter(statement_id__in=replaced_ids)._raw_delete(StatementLine.objects.db)
    Statement.objects.filter(id__in=replaced_ids)._raw_delete(Statement.objects.db)
    inputs = selectors.month_inputs(school=school, month=first, year=year, table=table)
    ct = table.as_calc()
    labels = _labels(table.policy)
    new: list[Statement] = []
    lines_of: list[list[calc.Line]] = []
    carried_of: list[list[int]] = []
    for child in inputs.children:
        if child.child_id in kept_children:
            continue
        figures = calc.statement(ct, child.month, labels)
        if child.month.billable_days == 0 and figures.total == 0:
            continue
        new.append(Statement(
            school=school, child_id=child.child_id, table=table, month=first,
            reference=selectors.reference_for(child.child_id, first), policy=table.policy,
            daily_rate=Decimal(ct.daily_rate), billable_days=child.month.billable_days,
            days_eaten=figures.days_eaten, days_refunded=figures.days_refunded, meal_amount=figures.meal,
            fees_amount=figures.fees, support_amount=figures.support, previous_balance=figures.previous_balance,
            total=figures.total, issued_by=actor,
        ))
        lines_of.append(figures.lines)
        carried_of.append(child.carried)
    Statement.objects.bulk_create(new, batch_size=500)
    codes = {g.label: g.code for c in inputs.children for g in c.month.supports}
    StatementLine.objects.bulk_create([
        StatementLine(statement=s, school=school, kind=ln.kind, label=ln.label[:200], quantity=ln.quantity,
                      unit_amount=ln.unit_amount, amount=ln.amount,
                      support_code=codes.get(ln.label, "") if ln.kind == calc.SUPPORT else "")
        for s, lines in zip(new, lines_of, strict=True) for ln in lines
    ], batch_size=1000)
    updates = [(sid, s.pk) for s, ids in zip(new, carried_of, strict=True) for sid in ids]
    if updates:
        carried = Statement.objects.in_bulk([sid for sid, _t in updates])
        for sid, target in updates:
            carried[sid].carried_into_id = target
        Statement.objects.bulk_update(list(carried.values()), ["carried_into"], batch_size=500)
    return GenerateResult(created=len(new), replaced=len(replaced_ids), kept=[r for _c, r in kept])


# --- payments ---------------------------------------------------------------------------------------


def _vnd(amount) -> str:
    return f"{int(amount):,}".replace(",", ".") + " đ"


def check_payable(statement: Statement, amount: Decimal) -> str | None:
    """Why ``amount`` cannot be paid on ``statement`` (a translated message), or None."""
    if statement.carried_into_id:
        return _("Statement %(ref)s was carried into statement %(new)s; pay that one.") % {
            "ref": statement.reference, "new": statement.carried_into.reference}
    if statement.outstanding <= 0:
        return _("Statement %(ref)s is already paid in full (%(total)s); a second payment is refused.") % {
            "ref": statement.reference, "total": _vnd(statement.total)}
    if amount > statement.outstanding:
        return _("The amount %(amount)s is more than what statement %(ref)s still owes (%(due)s).") % {
            "amount": _vnd(amount), "ref": statement.reference, "due": _vnd(statement.outstanding)}
    return None


@transaction.atomic
def payment_record(*, actor, statement: Statement, amount, method: str, paid_on: dt.date, bank_ref: str = "",
                   description: str = "") -> Payment:
    """Record money received for ``statement``; refuses a statement already paid, or more than it owes."""
    _require_writer(actor, statement.school)
    amount = _money(amount, "amount", positive=True)
    if method not in Payment.Method.values:
        raise ValidationError({"method": _("Choose cash or bank transfer.")})
    statement = Statement.objects.select_for_update(of=("self",)).select_related("carried_into").get(pk=statement.pk)
    reason = check_payable(statement, amount)
    if reason:
        raise ValidationError({"amount": reason})
    bank_ref = (bank_ref or "").strip()
    if bank_ref and Payment.objects.filter(school_id=statement.school_id, bank_ref=bank_ref).exists():
        raise ValidationError({"bank_ref": _("The bank transaction %(ref)s is already recorded.") % {"ref": bank_ref}})
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                school_id=statement.school_id, statement=statement, child_id=statement.child_id, amount=amount,
                method=method, paid_on=paid_on, bank_ref=bank_ref, description=description[:300], recorded_by=actor)
    except IntegrityError:
        raise ValidationError({"bank_ref": _("The bank transaction %(ref)s is already recorded.")
                               % {"ref": bank_ref}}) from None
    statement.paid += amount
    statement.save(update_fields=["paid"])
    return payment


def may_keep_fees(user, school: School) -> bool:
    return scoping.is_admin(user) or selectors.fee_schools(user, write=True).filter(pk=school.pk).exists()


# --- support eligibility (children of martyrs and war invalids) -------------------------------------


@transaction.atomic
def eligibility_save(*, actor, school: School, child_id, situation: str, evidence: str, valid_from: dt.date,
                     valid_to: dt.date | None = None, instance: SupportEligibility | None = None
                     ) -> SupportEligibility:
    """Record (or correct) a child's entitlement with its proof and period. The child must be one of the
    school's children the actor reaches, and not one who left (unless the record is already theirs); periods
    of the same situation for a child must not overlap.

    Statements already issued keep their figures: issuing the month again applies the change (statements
    with a payment are kept as they were)."""
    _require_writer(actor, school)
    if instance is not None and (instance.school_id != school.pk or not scoping.check(actor, scoping.CHANGE,
                                                                                       instance)):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    child = None
    if child_id:
        child = (scoping.restrict(Child.objects.filter(school=school), actor)
                 .filter(pk=child_id).first() if str(child_id).isdigit() else None)
    if child is not None and child.status == ChildStatus.LEFT and (instance is None or instance.child_id != child.pk):
        child = None  # a child who left gets no new record (an existing one stays correctable)
    if child is None:
        errors.setdefault("child", []).append(_("Choose a child of this school."))
    if situation not in SupportEligibility.Situation.values:
        errors.setdefault("situation", []).append(_("Choose the child's situation."))
    evidence = (evidence or "").strip()
    if not evidence:
        errors.setdefault("evidence", []).append(
            _("Enter the proof: the certificate or decision, its number and date."))
    if valid_from is None:
        errors.setdefault("valid_from", []).append(_("Enter the date the entitlement starts."))
    elif valid_to is not None and valid_to < valid_from:
        errors.setdefault("valid_to", []).append(_("The end date cannot be before the start date."))
    if not errors:
        overlapping = SupportEligibility.objects.filter(child=child, situation=situation).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        if valid_to is not None:
            overlapping = overlapping.filter(valid_from__lte=valid_to)
        if instance is not None:
            overlapping = overlapping.exclude(pk=instance.pk)
        other = overlapping.order_by("valid_from").first()
        if other is not None:
            errors.setdefault("valid_from", []).append(
                _("%(child)s already has this entitlement from %(start)s%(end)s: the periods overlap.") % {
                    "child": child.full_name, "start": other.valid_from.strftime("%d/%m/%Y"),
                    "end": (" " + _("to %(date)s") % {"date": other.valid_to.strftime("%d/%m/%Y")})
                    if other.valid_to else ""})
    if errors:
        raise ValidationError(errors)
    row = instance or SupportEligibility(school=school, recorded_by=actor)
    row.child, row.situation, row.evidence = child, situation, evidence[:200]
    row.valid_from, row.valid_to = valid_from, valid_to
    row.save()
    return row
