"""`mamnon demo-data --scale small`: staff records, ratings and training for every school; Sao Sáng's targets."""

import datetime as dt

import pytest
from django.core.management import call_command

from mamnon.children import demo as children_demo
from mamnon.indicators.registry import Window, source_of
from mamnon.org.demo import SAO_SANG_CODE
from mamnon.org.models import School, SchoolYear, Staff
from mamnon.staff.models import AnnualRating, StaffRecord, StandardRating
from tests.children.test_demo_children import pinned_today


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setattr(children_demo, "demo_today", pinned_today)
    call_command("demo_data", scale="small", seed=7, verbosity=0)


def share(code, window, school_ids=None):
    v = source_of(code)(window, school_ids)[code]
    return v.numerator.sum() / v.denominator.sum()


def test_every_school_staff_member_has_a_record(demo):
    school_staff = Staff.objects.filter(unit__level__is_school=True)
    assert StaffRecord.objects.count() == school_staff.count() > 0
    assert not StaffRecord.objects.exclude(school_id__in=School.objects.values("pk")).exists()


def test_distributions_match_the_seeds(demo):
    year = SchoolYear.objects.get(is_current=True)
    previous = SchoolYear.objects.filter(start_date__lt=year.start_date).order_by("-start_date").first()
    now = Window(code=year.code, kind="school_year", start=year.start_date, end=year.end_date, school_year=year.code)
    assert 0.80 <= share("T_QUAL_STD", now) <= 0.97
    assert 0.45 <= share("T_UNIV", now) <= 0.75
    assert 0.30 <= share("PARTY", now) <= 0.55
    assert share("TRAINED", now) >= 0.85
    last = Window(code=previous.code, kind="school_year", start=previous.start_date, end=previous.end_date,
                  school_year=previous.code)
    assert share("T_PROF_STD", last) >= 0.97
    assert 0.80 <= share("T_PROF_KHA", last) <= 0.98
    # Sao Sáng meets seed 002's targets.
    sao = School.objects.get(unit__code=SAO_SANG_CODE)
    assert share("T_QUAL_STD", now, [sao.pk]) == 1.0
    assert share("TRAINED_STEAM", now, [sao.pk]) == 1.0
    assert not AnnualRating.objects.filter(school=sao, result="completed").exists()
    assert AnnualRating.objects.filter(school=sao).exists()
    assert StandardRating.objects.filter(school=sao, school_year=year, overall__isnull=True).exists()
    assert dt.date.today() >= StaffRecord.objects.order_by("-hired_on").first().hired_on


def test_pages_on_the_demo(demo, client, django_assert_max_num_queries):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    users = get_user_model().objects
    sao = School.objects.get(unit__code=SAO_SANG_CODE)
    client.force_login(users.get(username="ht.saosang"))
    with django_assert_max_num_queries(30):
        r = client.get(reverse("staff:staff-list"))
    assert r.status_code == 200 and "Sao Sáng" in r.content.decode()
    r = client.get(reverse("staff:norms"))
    assert r.status_code == 200 and len(r.context["page"].object_list) == 1
    row = r.context["page"].object_list[0]
    assert row.school_id == sao.pk and row.children == 475 and row.norm == pytest.approx(36.35, abs=0.01)
    teacher = Staff.objects.filter(unit_id=sao.pk, position="teacher").first()
    assert client.get(reverse("staff:staff-detail", args=[teacher.pk])).status_code == 200
    client.force_login(users.get(username="pgd.anlao"))
    r = client.get(reverse("staff:norms"))
    assert r.status_code == 200 and r.context["count"] > 1
    assert r.context["total"].norm == pytest.approx(sum(x.norm for x in r.context["page"].paginator.object_list))
    with django_assert_max_num_queries(30):
        assert client.get(reverse("staff:staff-list")).status_code == 200
    assert client.get(reverse("staff:export")).status_code == 200
    client.force_login(users.get(username="ht.quangtrung"))
    assert client.get(reverse("staff:staff-detail", args=[teacher.pk])).status_code == 404
