"""`mamnon reminders`: who is reminded, when, and what the e-mail says (locmem backend)."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from mamnon.reporting.models import Reminder, Report

pytestmark = pytest.mark.django_db


def run(day):
    mail.outbox.clear()
    out = StringIO()
    call_command("reminders", "--date", day.strftime("%d/%m/%Y"), verbosity=0, stdout=out)
    return out.getvalue()


@pytest.fixture
def emails(world):
    for key in ("principal1a", "vice1a", "teacher1a", "principal1b", "principal2", "district1"):
        user = world.user(key)
        user.email = f"{key}@example.org"
        user.save()


def test_reminders_before_the_due_date_and_when_overdue(round_form, world, emails, settings):
    settings.LANGUAGE_CODE = "vi"
    # 16/09/2023: nothing due within 3 days (R1 is due 20/09).
    run(dt.date(2023, 9, 16))
    assert Report.objects.filter(form=round_form, period="2023-2024/R1").count() == 5
    assert mail.outbox == []
    # 17/09: R1 due in 3 days: the schools' managers are reminded (never the teacher), once each.
    run(dt.date(2023, 9, 17))
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["principal1a@example.org", "principal1b@example.org", "principal2@example.org",
                  "vice1a@example.org"]
    message = next(m for m in mail.outbox if m.to == ["principal1a@example.org"])
    assert "Báo cáo kết quả cân đo, chấm biểu đồ tăng trưởng" in message.body
    assert "ZZ-S1a" in message.body and "20/09/2023" in message.body and "ZZ-S1b" not in message.body
    run(dt.date(2023, 9, 18))
    assert mail.outbox == []  # "due soon" once only
    # The district's consolidation (due 25/09) reminds the district officer from 22/09.
    run(dt.date(2023, 9, 22))
    assert [m.to for m in mail.outbox] == [["district1@example.org"]]
    # 21/09: the day after the due date, an overdue reminder; again on 28/09, not in between.
    run(dt.date(2023, 9, 21))
    assert "principal1a@example.org" in [m.to[0] for m in mail.outbox]
    assert "quá hạn" in mail.outbox[0].body
    run(dt.date(2023, 9, 23))
    assert not any(m.to == ["principal1a@example.org"] for m in mail.outbox)
    run(dt.date(2023, 9, 28))
    assert any(m.to == ["principal1a@example.org"] for m in mail.outbox)
    assert Reminder.objects.filter(user=world.user("principal1a"), kind="overdue").count() == 2


def test_submitted_reports_are_not_reminded(round_form, world, emails):
    from mamnon.reporting import services

    run(dt.date(2023, 9, 1))
    report = Report.objects.get(form=round_form, period="2023-2024/R1", unit=world.units["S1a"])
    services.report_save(report=report, values={"enrolled": 4, "measured": 4, "underweight": 0, "stunting": 0,
                                                "wasting": 0, "overweight": 0, "obese": 0},
                         actor=world.user("principal1a"))
    services.report_submit(report=report, actor=world.user("principal1a"))
    run(dt.date(2023, 9, 17))
    assert "principal1a@example.org" not in [m.to[0] for m in mail.outbox]


def test_bad_date_is_a_clear_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("reminders", "--date", "31/02/2024", verbosity=0)
