"""The growth indicators per school, for the indicators engine (``mamnon.indicators.registry``).

GROWTH_MONITORED: children measured in the round / children enrolled on its reference day. UNDERWEIGHT,
STUNTING, WASTING, OVERWEIGHT (overweight or obese) and OBESE: children with that status / children assessed on
that axis (targets-from-seeds.md; cut-offs: regulations.md section 9). One aggregate query for the whole window,
the same one the round statistics pages use (``mamnon.health.stats.counts``).
"""

from __future__ import annotations

from mamnon.children.models import Child
from mamnon.health import stats
from mamnon.health.models import Measurement
from mamnon.indicators import registry
from mamnon.indicators.registry import SchoolValues, Window, child_list, family, group_detail

ROUNDS = (1, 2, 3)  # the measurement rounds of a school year (periods R1-R3)


def round_of(window: Window) -> int | None:
    """The round a window reads: its own (``2023-2024/R2``: 2), round 3 for the school year, else none."""
    return window.round_number or (3 if window.kind == "school_year" else None)


@family(*stats.INDICATORS, key=lambda w: (w.school_year, round_of(w)))
def growth_family(window: Window, school_ids) -> dict[str, SchoolValues]:
    """Per school, for the round of ``window`` (``2023-2024/R2``: round 2). A school-year window reads the
    latest round, round 3 (the year's end figures); other windows have no round and give nothing."""
    number = round_of(window)
    if number is None or not window.school_year:
        return {code: SchoolValues.from_rows([]) for code in stats.INDICATORS}
    if registry.is_sharing():  # a refresh: the year's three rounds in one pair of aggregates
        ids_key = None if school_ids is None else tuple(sorted(int(i) for i in school_ids))
        rounds = registry.shared(("growth_rounds", window.school_year, ids_key), lambda: stats.counts_rounds(
            window.school_year, ROUNDS, school_ids=school_ids))
        if number in rounds:
            c = rounds[number]
            # the schools one round alone reports: with a measurement of that round or a child on its day
            keep = (c.values["measured"] > 0) | (c.values["enrolled"] > 0)
            return {code: SchoolValues(c.ids[keep], c.values[num][keep], c.values[den][keep])
                    for code, (num, den) in stats.INDICATORS.items()}
    values = stats.school_values(window.school_year, number, school_ids=school_ids)
    return {code: SchoolValues(ids, num, den) for code, (ids, num, den) in values.items()}


# --- below the school: groups and the children behind a number ---------------------------------------------------

# The status each code counts (the numerator's children); GROWTH_MONITORED lists the children measured.
_STATUS_OF = {code: stats.COUNTS[num] for code, (num, _den) in stats.INDICATORS.items() if num in stats.COUNTS}


@group_detail(*stats.INDICATORS)
def growth_by_group(window: Window, school_id: int) -> dict[str, dict[int, tuple[float, float]]]:
    """Per group of the school, the round's numerators and denominators (one pair of aggregates)."""
    number = round_of(window)
    if number is None or not window.school_year:
        return {}
    c = stats.counts(window.school_year, number, by="group", school_ids=[school_id])
    return {code: {int(g): (float(n), float(d)) for g, n, d in zip(c.ids, c.get(num), c.get(den), strict=True)
                   if d or n}
            for code, (num, den) in stats.INDICATORS.items()}


@child_list(*stats.INDICATORS)
def growth_children(code: str, window: Window, school_id: int, group_id: int | None):
    """The children measured in the window's round (GROWTH_MONITORED) or found with the code's status."""
    number = round_of(window)
    if number is None or not window.school_year:
        return Child.objects.none()
    rows = Measurement.objects.filter(round__school_year__code=window.school_year, round__number=number,
                                      school_id=school_id)
    if group_id is not None:
        rows = rows.filter(group_id=group_id)
    if code in _STATUS_OF:
        axis, statuses = _STATUS_OF[code]
        rows = rows.filter(**{f"{axis}__in": list(statuses)})
    return Child.objects.filter(id__in=rows.values("child_id"))
