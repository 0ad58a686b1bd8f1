"""Overall rating under TT 26/2018 (teachers) and TT 25/2018 (principals), hand-worked against Điều 10 khoản 2.

Levels: 0 Chưa đạt, 1 Đạt, 2 Khá, 3 Tốt. 15 criteria; 2/3 of 15 is 10.
TT 26 key criteria: 1, 3, 4, 5, 6, 7, 8, 9. TT 25 key criteria: 1, 4, 5, 6, 7, 9, 11, 13, 14, 15.
"""

import pytest

from mamnon.calc.staff_ratings import (
    EXCELLENT,
    GOOD,
    MET,
    NOT_MET,
    PRINCIPAL_TT25,
    TEACHER_TT26,
    RatingError,
    StandardSpec,
    overall,
)


def levels(default, **by_number):
    """15 levels, all ``default`` except the criteria named c<n>=level."""
    out = [default] * 15
    for key, value in by_number.items():
        out[int(key[1:]) - 1] = value
    return out


def plevels(default, **by_number):
    """18 levels (the principal standard, TT 25/2018 Điều 4-8), all ``default`` except c<n>=level."""
    out = [default] * 18
    for key, value in by_number.items():
        out[int(key[1:]) - 1] = value
    return out


T, K, D, C = EXCELLENT, GOOD, MET, NOT_MET


@pytest.mark.parametrize(("given", "expected", "why"), [
    (levels(T), T, "all Tốt"),
    # 10 Tốt = exactly 2/3, the 8 key criteria among them (1, 3-9 plus 2 and 10), the rest Khá.
    (levels(K, c1=T, c2=T, c3=T, c4=T, c5=T, c6=T, c7=T, c8=T, c9=T, c10=T), T, "10/15 Tốt with every key"),
    # Only 9 Tốt: below 2/3, so Khá (all Khá or higher, keys Khá or higher).
    (levels(K, c1=T, c2=T, c3=T, c4=T, c5=T, c6=T, c7=T, c8=T, c9=T), K, "9/15 Tốt is short of 2/3"),
    # 14 Tốt but key criterion 3 only Khá: not Tốt.
    (levels(T, c3=K), K, "key criterion 3 at Khá"),
    # 14 Tốt and one Đạt on a non-key criterion: Tốt needs every criterion Khá or higher.
    (levels(T, c15=D), K, "a non-key criterion at Đạt stops Tốt"),
    # 14 Tốt and key criterion 4 at Đạt: Khá needs the keys at Khá or higher -> Đạt.
    (levels(T, c4=D), D, "key criterion 4 at Đạt stops Khá"),
    (levels(D), D, "all Đạt"),
    # Exactly 10 at Khá or higher including the keys, 5 Đạt: Khá.
    (levels(D, c1=K, c2=K, c3=K, c4=K, c5=K, c6=K, c7=K, c8=K, c9=K, c10=K), K, "10/15 Khá with every key"),
    (levels(D, c1=K, c2=K, c3=K, c4=K, c5=K, c6=K, c7=K, c8=K, c9=K), D, "9/15 Khá"),
    (levels(T, c12=C), C, "one Chưa đạt"),
])
def test_teacher_tt26(given, expected, why):
    assert overall(given, TEACHER_TT26) == expected, why


@pytest.mark.parametrize(("change", "teacher", "principal"), [
    # Criterion 3 is key for teachers, not for principals.
    ({"c3": K}, K, T),
    # Criterion 11 is key for principals, not for teachers.
    ({"c11": K}, T, K),
    # Criterion 2 is key for neither: one Khá among Tốt is Tốt under both.
    ({"c2": K}, T, T),
])
def test_principal_tt25_differs_by_key_criteria(change, teacher, principal):
    assert overall(levels(T, **change), TEACHER_TT26) == teacher
    assert overall(plevels(T, **change), PRINCIPAL_TT25) == principal


def test_principal_two_thirds_counts_18_criteria():
    """TT 25/2018 has 18 criteria, so Tốt needs 12 at Tốt (2/3 of 18), not 10 (2/3 of 15)."""
    key_tot = dict.fromkeys(("c1", "c4", "c5", "c6", "c7", "c9", "c11", "c13", "c14", "c15"), T)
    assert PRINCIPAL_TT25.criteria == 18
    assert overall(plevels(K, **key_tot), PRINCIPAL_TT25) == K  # 10 of 18 at Tốt
    assert overall(plevels(K, **key_tot, c2=T), PRINCIPAL_TT25) == K  # 11 of 18
    assert overall(plevels(K, **key_tot, c2=T, c18=T), PRINCIPAL_TT25) == T  # 12 of 18 = 2/3
    # 15 levels are no longer a complete principal rating: criteria 16-18 are named as missing.
    with pytest.raises(RatingError) as err:
        overall(levels(T), PRINCIPAL_TT25)
    assert err.value.missing == (16, 17, 18)


def test_missing_and_invalid_criteria_are_named():
    with pytest.raises(RatingError) as err:
        overall(levels(T)[:13], TEACHER_TT26)
    assert err.value.missing == (14, 15)
    given = levels(T)
    given[4] = None
    given[6] = 7
    with pytest.raises(RatingError) as err:
        overall(given, TEACHER_TT26)
    assert err.value.missing == (5,) and err.value.invalid == (7,)
    with pytest.raises(RatingError) as err:
        overall(levels(T) + [3], TEACHER_TT26)
    assert err.value.extra == 1


def test_share_is_exact_fraction():
    # 2/3 of 9 criteria is 6: six Tốt (keys 1, 2 included) and three Khá is Tốt, five is not.
    spec = StandardSpec(criteria=9, key=frozenset({1, 2}))
    assert overall([T] * 6 + [K] * 3, spec) == T
    assert overall([T] * 5 + [K] * 4, spec) == K


def test_overall_array_agrees_with_the_rules_one_by_one():
    import numpy as np

    from mamnon.calc.staff_ratings import overall_array

    rng = np.random.default_rng(7)
    # Mostly high levels so that every outcome occurs, plus the hand-worked cases above.
    base = rng.integers(1, 4, size=(2000, 1))
    random_rows = np.clip(base + rng.choice([-1, 0, 0, 0, 1], size=(2000, 18)) - (rng.random((2000, 18)) < 0.01) * 3,
                          0, 3)
    for spec in (TEACHER_TT26, PRINCIPAL_TT25):
        rows = random_rows[:, :spec.criteria]  # 15 criteria for teachers, 18 for principals
        got = overall_array(rows, spec)
        assert got.tolist() == [overall(r.tolist(), spec) for r in rows]
        assert set(got.tolist()) == {C, D, K, T}
