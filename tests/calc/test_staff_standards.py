"""Standard training level and the NĐ 71/2020 roadmap, worked by hand; retirement ages of NĐ 135/2020."""

import datetime as dt

import numpy as np
import pytest

from mamnon.calc import staff_standards as ss

D = dt.date
RULES = ss.StandardRules()


@pytest.mark.parametrize(("birth", "male", "expected"), [
    (D(1960, 3, 1), True, D(2020, 3, 1)),  # 60 before the roadmap
    (D(1961, 6, 5), True, D(2021, 9, 5)),  # 60y3m in 2021
    (D(1961, 10, 5), True, D(2022, 4, 5)),  # reaches 60y3m only in 2022, when the age is 60y6m
    (D(1962, 5, 20), True, D(2022, 11, 20)),  # 60y6m
    (D(1970, 1, 1), True, D(2032, 1, 1)),  # capped at 62
    (D(1968, 1, 10), False, D(2024, 5, 10)),  # 56y (2023) reached in 2024 -> 56y4m
    (D(1966, 2, 1), False, D(2021, 6, 1)),  # 55y4m in 2021
    (D(1990, 6, 15), False, D(2050, 6, 15)),  # capped at 60
])
def test_retirement_dates(birth, male, expected):
    assert ss.retirement_date(birth, male) == expected


def status(**kw):
    base = dict(level=ss.COLLEGE, pedagogy=True, hired_on=D(2010, 8, 1), birth=D(1985, 3, 15), male=False,
                in_training=False, covered=True, on=D(2024, 1, 1), rules=RULES)
    base.update(kw)
    return ss.one(**base)


def test_standard_and_roadmap_by_hand():
    assert status() == ss.MEETS  # cao đẳng sư phạm mầm non
    assert status(level=ss.UNIVERSITY) == ss.MEETS
    assert status(pedagogy=False) == ss.ROADMAP  # a college diploma in another field is not the standard
    # Trung cấp, hired 2010, born 1985: retires 2045, 296 months left on 01/07/2020 -> covered by the roadmap.
    assert status(level=ss.INTERMEDIATE) == ss.ROADMAP
    assert status(level=ss.INTERMEDIATE, in_training=True) == ss.IN_TRAINING
    # After 31/12/2030 the roadmap is over: below.
    assert status(level=ss.INTERMEDIATE, on=D(2031, 1, 1)) == ss.BELOW
    # Born 10/01/1968 (woman): retires 10/05/2024, 46 months after 01/07/2020 (< 84): exempt.
    assert status(level=ss.INTERMEDIATE, birth=D(1968, 1, 10)) == ss.EXEMPT
    # A man born 20/05/1962 retires 20/11/2022: exempt.
    assert status(level=ss.INTERMEDIATE, birth=D(1962, 5, 20), male=True) == ss.EXEMPT
    # Woman born 01/06/1971: in 2027 the age is 57y4m (reached 10/2028: no); 2028: 57y8m (02/2029: no);
    # 2029: 58y, reached 06/2029 -> retires 01/06/2029, 107 months after 01/07/2020: covered.
    assert ss.retirement_date(D(1971, 6, 1), False) == D(2029, 6, 1)
    assert status(level=ss.INTERMEDIATE, birth=D(1971, 6, 1)) == ss.ROADMAP
    # Recruited after Luật Giáo dục 2019 took effect without the standard: below, no roadmap.
    assert status(level=ss.INTERMEDIATE, hired_on=D(2021, 9, 1)) == ss.BELOW
    # Not a teacher or manager: not applicable.
    assert status(level=ss.NONE, covered=False) == ss.NOT_APPLICABLE
    # Before the 2019 law the standard was trung cấp (rule by date).
    old = ss.StandardRules(min_level=ss.INTERMEDIATE)
    assert status(level=ss.INTERMEDIATE, rules=old, on=D(2019, 1, 1)) == ss.MEETS


def test_arrays_and_progress():
    n = np.array
    st = ss.standard_status(
        level=n([2, 1, 1, 1, 3]), pedagogy=n([True, True, True, True, True]),
        hired_on=n(["2005-09-01", "2005-09-01", "NaT", "2022-09-01", "2001-01-01"], dtype="datetime64[D]"),
        birth=n(["1980-01-01", "1982-01-01", "1983-01-01", "1995-01-01", "NaT"], dtype="datetime64[D]"),
        male=n([False] * 5), in_training=n([False, True, False, False, False]), covered=n([True] * 5),
        on=D(2025, 6, 1), rules=RULES)
    assert st.tolist() == [ss.MEETS, ss.IN_TRAINING, ss.ROADMAP, ss.BELOW, ss.MEETS]
    # Covered: in training (1), pending (1) and the first, who upgraded under the roadmap: 2 of 3 done.
    assert ss.roadmap_progress(st, n([True, False, False, False, False])) == (2, 3)
