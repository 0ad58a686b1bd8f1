"""Reading configurable rules (core.models.Rule): the most specific row in force on a day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q

from mamnon.core.models import Rule


def _ancestor_ids(unit) -> list[int]:
    return [int(x) for x in unit.path.strip("/").split("/") if x] if unit is not None else []


def rules_in_force(codes, *, on: dt.date, unit=None) -> dict[str, Rule]:
    """For each code, the row in force on ``on``: the deepest unit override first, then the newest."""
    ancestors = _ancestor_ids(unit)
    rows = (
        Rule.objects.filter(code__in=list(codes), effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .filter(Q(unit__isnull=True) | Q(unit_id__in=ancestors))
        .select_related("unit")
    )
    best: dict[str, Rule] = {}

    def rank(rule: Rule):
        depth = rule.unit.depth + 1 if rule.unit_id else 0
        return (depth, rule.effective_from)

    for rule in rows:
        if rule.code not in best or rank(rule) > rank(best[rule.code]):
            best[rule.code] = rule
    return best


def rule_value(code: str, *, on: dt.date, unit=None, default: Decimal | None = None) -> Decimal | None:
    rule = rules_in_force([code], on=on, unit=unit).get(code)
    return rule.value if rule is not None else default
