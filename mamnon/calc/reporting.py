"""Pure computation for report forms: due dates, validation rules, completeness (no Django import).

Due-date rules (a form's ``due_kind``):

* ``fixed_day``: day D of one of the months M1, M2..., the first such day on or after the period's first
  day. Seed 002: measurement results before 20/9, 20/12 and 20/3 (day 20 of months 9, 12, 3: round 1 of
  2023-2024 gives 20/09/2023, round 3 gives 20/03/2024); semester statistics before 10/12 and year-end
  statistics before 10/5 (day 10 of months 12, 5: HK1 gives 10/12/2023, HK2 10/05/2024); 01.ĐN-MN due
  31/10 (day 31 of month 10). Without months: day D of any month (D at most 28).
* ``after_period``: N days after the period's last day.
* ``one_off``: a fixed date (seed 004: the scheme-review report before 02/04/2024).

Validation rules are structured: ``left <op> right`` where each side is a sum of terms (field codes or
whole numbers, joined by ``+`` or ``-``), e.g. ``age_c + age_k3 + age_k4 + age_k5 = enrolled`` or
``measured <= enrolled``. The tiny grammar is parsed here; nothing is ever passed to ``eval``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

FIXED_DAY = "fixed_day"
AFTER_PERIOD = "after_period"
ONE_OFF = "one_off"
DUE_KINDS = (FIXED_DAY, AFTER_PERIOD, ONE_OFF)


class DueDateError(ValueError):
    """A due-date rule that produces no date."""


def _valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def parse_months(text) -> list[int]:
    """"9,12,3" -> [9, 12, 3]; empty -> []. Raises DueDateError on anything else."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return []
    if isinstance(text, int):
        return [text]
    try:
        months = [int(part) for part in str(text).replace(";", ",").split(",") if part.strip()]
    except ValueError:
        raise DueDateError(f"{text!r} is not a list of months") from None
    bad = [m for m in months if not 1 <= m <= 12]
    if bad:
        raise DueDateError(f"month {bad[0]} is not between 1 and 12")
    return months


def check_due_rule(kind: str, *, months=None, day: int | None = None,
                   days_after: int | None = None, date: dt.date | None = None) -> None:
    """Raise DueDateError if the rule can never produce a date (31/02, a missing day or date...)."""
    if kind == FIXED_DAY:
        if day is None:
            raise DueDateError("fixed_day needs a day")
        month_list = parse_months(months)
        if not month_list:
            if not 1 <= day <= 28:
                raise DueDateError(f"day {day} does not exist in every month: use 1 to 28")
        for month in month_list:
            if not _valid_day(2024, month, day):  # 2024 is a leap year: 29/02 exists in some years
                raise DueDateError(f"{day:02d}/{month:02d} is not a date")
    elif kind == AFTER_PERIOD:
        if days_after is None or days_after < 0:
            raise DueDateError("after_period needs a number of days, 0 or more")
    elif kind == ONE_OFF:
        if date is None:
            raise DueDateError("one_off needs a date")
    else:
        raise DueDateError(f"unknown due-date rule {kind!r}")


def due_date(kind: str, period_start: dt.date, period_end: dt.date, *, months=None,
             day: int | None = None, days_after: int | None = None, date: dt.date | None = None) -> dt.date:
    """The due date of a report for the period [period_start, period_end] under the rule."""
    check_due_rule(kind, months=months, day=day, days_after=days_after, date=date)
    if kind == ONE_OFF:
        return date
    if kind == AFTER_PERIOD:
        return period_end + dt.timedelta(days=days_after)
    month_list = parse_months(months) or list(range(1, 13))
    candidates = []
    for month in month_list:
        for year in range(period_start.year, period_start.year + 9):
            if _valid_day(year, month, day) and dt.date(year, month, day) >= period_start:
                candidates.append(dt.date(year, month, day))
                break
    if not candidates:
        raise DueDateError(f"day {day} never falls after {period_start:%d/%m/%Y}")
    return min(candidates)


# --- validation rules ----------------------------------------------------------------------------

OPS = ("=", "<=", ">=", "<", ">", "!=")
_TERM = re.compile(r"\s*([+-]?)\s*([a-z][a-z0-9_]*|\d+)\s*")
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


class ExpressionError(ValueError):
    """A validation-rule side that is not a sum of field codes and whole numbers."""


@dataclass(frozen=True)
class Term:
    sign: int
    code: str | None  # a field code, or None for a constant
    constant: int = 0


def parse_sum(text: str) -> list[Term]:
    """``"a + b - 2"`` -> terms. Only field codes (lower case, digits, _) and whole numbers."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("empty expression")
    terms: list[Term] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TERM.match(text, pos)
        if not m or m.end() == pos:
            raise ExpressionError(f"cannot read {text[pos:]!r}")
        sign_text, token = m.group(1), m.group(2)
        if terms and not sign_text:
            raise ExpressionError(f"expected + or - before {token!r}")
        sign = -1 if sign_text == "-" else 1
        if token.isdigit():
            terms.append(Term(sign, None, int(token)))
        else:
            terms.append(Term(sign, token))
        pos = m.end()
    return terms


def codes_of(text: str) -> set[str]:
    return {t.code for t in parse_sum(text) if t.code}


def evaluate_sum(terms: list[Term], values: dict) -> Decimal | None:
    """The sum, or None when a field it needs is empty (the rule is then not checked)."""
    total = Decimal(0)
    for t in terms:
        if t.code is None:
            total += t.sign * t.constant
            continue
        v = values.get(t.code)
        if v is None or v == "":
            return None
        total += t.sign * Decimal(str(v))
    return total


def compare(left: Decimal, op: str, right: Decimal) -> bool:
    if op == "=":
        return left == right
    if op == "<=":
        return left <= right
    if op == ">=":
        return left >= right
    if op == "<":
        return left < right
    if op == ">":
        return left > right
    if op == "!=":
        return left != right
    raise ExpressionError(f"unknown comparison {op!r}")


def check_rule(left: str, op: str, right: str, values: dict) -> tuple[bool, Decimal | None, Decimal | None]:
    """(holds, left value, right value); a rule whose fields are not all filled holds (checked later)."""
    lv, rv = evaluate_sum(parse_sum(left), values), evaluate_sum(parse_sum(right), values)
    if lv is None or rv is None:
        return True, lv, rv
    return compare(lv, op, rv), lv, rv


# --- completeness ---------------------------------------------------------------------------------


def rate(part: int, whole: int) -> float | None:
    """part / whole in percent with one decimal, None when nothing is expected; never above 100."""
    if whole <= 0:
        return None
    return round(100.0 * min(part, whole) / whole, 1)
