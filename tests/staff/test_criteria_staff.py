"""The criteria lists of the two professional standards against the circulars' structure (staff/criteria.py)."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from mamnon.calc import staff_ratings
from mamnon.core.models import Rule
from mamnon.staff import selectors
from mamnon.staff.criteria import TT25_NAMES, TT25_NOT_READ, TT25_STANDARD_OF, TT26_NAMES, TT26_STANDARD_OF
from mamnon.staff.models import StandardRating
from tests.staff.conftest import levels


def test_tt25_has_18_criteria_in_5_standards():
    # Điều 4: 3 criteria (lawnet clauses 1-3), Điều 5: 8 (clauses 1-7 read; 8 by structure), Điều 6: 3,
    # Điều 7: 2, Điều 8: 2.
    assert len(TT25_NAMES) == len(TT25_STANDARD_OF) == 18
    assert [TT25_STANDARD_OF.count(k) for k in range(1, 6)] == [3, 8, 3, 2, 2]
    # The clauses read on lawnet.vn, by their number in the standard.
    assert TT25_NAMES[0] == "Đạo đức nghề nghiệp"  # Điều 4 khoản 1
    assert TT25_NAMES[2] == "Năng lực phát triển chuyên môn, nghiệp vụ bản thân"  # Điều 4 khoản 3
    assert TT25_NAMES[3] == "Tổ chức xây dựng kế hoạch phát triển nhà trường"  # Điều 5 khoản 1
    # Điều 5 khoản 7, in the circular's Vietnamese (123docz.net copy of TT 25/2018).
    assert TT25_NAMES[9] == "Quản trị cơ sở vật chất, đồ dùng, đồ chơi, thiết bị dạy học của nhà trường"
    # Điều 5 khoản 8 (thukyluat.vn 276408): quality of nurture, care and education, the last of standard 2.
    assert TT25_NAMES[10] == "Quản trị chất lượng nuôi dưỡng, chăm sóc, giáo dục trẻ em"
    assert TT25_STANDARD_OF[10] == 2
    # Điều 8: "Tiêu chí 17. Sử dụng ngoại ngữ" (thukyluat.vn); criteria 17 and 18 form standard 5.
    assert TT25_NAMES[16] == "Sử dụng ngoại ngữ"
    assert TT25_STANDARD_OF[16:] == [5, 5]
    # Điều 10 khoản 2: the key criteria all exist.
    assert staff_ratings.PRINCIPAL_TT25.key == {1, 4, 5, 6, 7, 9, 11, 13, 14, 15}
    assert max(staff_ratings.PRINCIPAL_TT25.key) <= len(TT25_NAMES)


def test_tt25_names_not_read_are_the_reconstructed_ones():
    # Criteria 12-16 (Điều 6-7) and 18 were not read in any text; 11 (Điều 5 khoản 8) and 17 (Điều 8) were.
    assert TT25_NOT_READ == {12, 13, 14, 15, 16, 18}
    assert all(1 <= n <= len(TT25_NAMES) for n in TT25_NOT_READ)


def test_tt26_has_15_criteria_in_5_standards():
    assert len(TT26_NAMES) == len(TT26_STANDARD_OF) == 15 == staff_ratings.TEACHER_TT26.criteria
    assert [TT26_STANDARD_OF.count(k) for k in range(1, 6)] == [2, 6, 2, 2, 3]


@pytest.mark.django_db
def test_rule_rows_give_18_criteria_for_principals():
    spec = selectors.rating_spec(StandardRating.Standard.PRINCIPAL, on=dt.date(2025, 5, 31))
    assert spec.criteria == 18 and spec.key == staff_ratings.PRINCIPAL_TT25.key
    assert selectors.rating_spec(StandardRating.Standard.TEACHER, on=dt.date(2025, 5, 31)).criteria == 15
    assert "Điều 10 khoản 2" in Rule.objects.get(code="staff.tt25.criteria", unit=None).legal_basis


@pytest.mark.django_db
def test_migration_moves_15_to_18_and_pads_stored_principal_ratings(scenario):
    sc, s = scenario, scenario.staff
    Rule.objects.filter(code="staff.tt25.criteria", unit=None).update(value=15)
    Rule.objects.filter(code__in=["staff.tt25.key.16", "staff.tt25.key.17", "staff.tt25.key.18"]).delete()
    old = StandardRating.objects.create(staff=s["P"], school=sc.world.schools["S1a"], school_year=sc.year,
                                        standard="principal", self_levels=levels(3), levels=levels(3), overall=3)
    teacher = StandardRating.objects.create(staff=s["T1"], school=sc.world.schools["S1a"], school_year=sc.year,
                                            standard="teacher", self_levels=levels(2), levels=[], overall=None)
    importlib.import_module("mamnon.staff.migrations.0003_tt25_eighteen_criteria").forward(apps, None)
    assert Rule.objects.get(code="staff.tt25.criteria", unit=None).value == 18
    assert Rule.objects.filter(code__startswith="staff.tt25.key.", unit=None).count() == 18
    old.refresh_from_db()
    assert old.levels == [3] * 15 + [None] * 3 and old.self_levels == [3] * 15 + [None] * 3
    assert old.overall == 3  # decided under the old count, kept
    teacher.refresh_from_db()
    assert teacher.self_levels == [2] * 15
