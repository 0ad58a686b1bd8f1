"""The growth indicators per school, for the indicators engine (``mamnon.indicators.registry``).

GROWTH_MONITORED: children measured in the round / children enrolled on its reference day. UNDERWEIGHT,
STUNTING, WASTING, OVERWEIGHT (overweight or obese) and OBESE: children with that status / children assessed on
that axis (targets-from-seeds.md; cut-offs: regulations.md section 9). One aggregate query for the whole window,
the same one the round statistics pages use (``mamnon.health.stats.counts``).
"""

from __future__ import annotations

from mamnon.health import stats
from mamnon.indicators.registry import SchoolValues, Window, family


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
    values = stats.school_values(window.school_year, number, school_ids=school_ids)
    return {code: SchoolValues(ids, num, den) for code, (ids, num, den) in values.items()}
