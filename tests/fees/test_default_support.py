"""The national policy loaded by the migrations carries the figures and citation checked against the decree
(Nghị định 105/2020/NĐ-CP Điều 7; the pages read are named in mamnon/fees/default_support.py)."""

import datetime as dt

from mamnon.fees.default_support import ND105, load_default_support, update_legal_basis
from mamnon.fees.models import SupportPolicy


def test_nd105_row_as_the_decree_says(db):
    load_default_support(SupportPolicy)
    row = SupportPolicy.objects.get(code="nd105-an-trua")
    # Khoản 2: 160,000 đồng a child a month, at most 9 months a school year; in force 01/11/2020.
    assert (row.amount_per_month, row.max_months_per_year, row.effective_from, row.unit) == (
        160000, 9, dt.date(2020, 11, 1), None)
    # Khoản 1: kindergarten children, points a-đ.
    assert row.kindergarten_only and all(getattr(row, f) for f in (
        "for_ethnic_minority_disadvantaged", "for_orphan", "for_poor", "for_near_poor", "for_war_merit",
        "for_disability"))
    assert "Điều 7" in row.legal_basis and "khoản 1" in row.legal_basis and "khoản 2" in row.legal_basis
    assert "08/09/2020" in row.legal_basis


def test_an_old_citation_is_rewritten_and_nothing_else(db):
    load_default_support(SupportPolicy)
    SupportPolicy.objects.filter(code="nd105-an-trua").update(
        legal_basis="Nghị định 105/2020/NĐ-CP, Điều 7 (hỗ trợ ăn trưa đối với trẻ em mẫu giáo)", amount_per_month=1)
    assert update_legal_basis(SupportPolicy) == 1
    row = SupportPolicy.objects.get(code="nd105-an-trua")
    assert (row.legal_basis, row.amount_per_month) == (ND105, 1)  # an amount set by an administrator stays
    assert update_legal_basis(SupportPolicy) == 0
