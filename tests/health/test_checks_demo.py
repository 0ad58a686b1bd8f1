"""The health checks demo (small scale): two examinations a year once their day has passed, Sao Sáng's medicine
linked to the drop-off requests, and the demo users' views of it."""


import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count

from mamnon.attendance.models import Handover
from mamnon.children import demo as children_demo
from mamnon.children.models import Enrolment
from mamnon.core import scoping
from mamnon.health import demo_checks  # noqa: F401  (registers the generator, as HealthConfig.ready() will)
from mamnon.health.models import HealthCheck, Illness, MedicineDose
from mamnon.org.demo import SAO_SANG_CODE
from mamnon.org.models import School
from tests.children.test_demo_children import load, pinned_today


@pytest.fixture
def demo(db, capsys, monkeypatch):
    monkeypatch.setattr(children_demo, "demo_today", pinned_today)
    load()
    capsys.readouterr()
    return School.objects.get(unit__code=SAO_SANG_CODE)


def test_health_checks_demo(demo):
    today = pinned_today()  # 21 October: the autumn examination is done, the spring one is not
    enrolled = Enrolment.objects.filter(end_date__isnull=True, group__school_year__is_current=True)
    assert HealthCheck.objects.count() == enrolled.count()
    assert not HealthCheck.objects.filter(date__gte=today).exists()
    assert HealthCheck.objects.filter(school=demo).count() == enrolled.filter(school=demo).count() == 475
    # One examination per child, none before birth, every date a weekday.
    assert not HealthCheck.objects.values("child_id").annotate(n=Count("id")).filter(n__gt=1).exists()
    for check in HealthCheck.objects.select_related("child")[:500]:
        assert check.child.birth_date <= check.date and check.date.weekday() < 5
    share_teeth = HealthCheck.objects.exclude(teeth="").count() / HealthCheck.objects.count()
    assert 0.15 < share_teeth < 0.4
    assert not HealthCheck.objects.filter(referral=True, referral_to="").exists()
    # Sao Sáng: every medicine asked for at drop-off was given, linked to the request, on its day.
    asked = Handover.objects.filter(school=demo, date__lt=today).exclude(medicine="")
    doses = MedicineDose.objects.filter(school=demo)
    assert doses.count() == asked.count() > 0
    for dose in doses.select_related("handover")[:50]:
        assert dose.handover.child_id == dose.child_id and dose.medicine == dose.handover.medicine
        assert dose.given_at.date() == dose.handover.date
    assert Illness.objects.filter(school=demo).exists()
    # The demo's health worker reads Sao Sáng's rows; the demo parent only her child's.
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["yte.saosang",
                                                                                  "phuhuynh.saosang", "pgd.anlao"])}
    assert HealthCheck.objects.for_user(users["yte.saosang"]).count() == 475
    parent_rows = HealthCheck.objects.for_user(users["phuhuynh.saosang"])
    assert parent_rows.count() == 1
    assert parent_rows.get().child_id in scoping.parent_child_ids(users["phuhuynh.saosang"]).values_list(
        "child_id", flat=True)
    assert not HealthCheck.objects.for_user(users["pgd.anlao"]).exists()
