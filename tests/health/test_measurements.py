"""Saving measurements: scores computed in bulk and stored with their statuses; bad input writes nothing."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from mamnon.calc.growth import zscores
from mamnon.children.models import Group
from mamnon.health import services
from mamnon.health.models import Measurement, Status
from mamnon.health.services import Entry

DAY = dt.date(2023, 9, 15)
TODAY = dt.date(2024, 4, 1)


def save(classroom, user, group, entries, rnd=None, day=DAY):
    return services.measurements_save(actor=classroom.world.user(user), group_id=classroom.groups[group].pk, day=day,
                                      entries=entries, rnd=rnd, today=TODAY)


def test_teacher_saves_her_group_with_scores_and_statuses(classroom, rounds):
    k1, k2 = classroom.children["K1"], classroom.children["K2"]
    result = save(classroom, "teacher1a", "G1", [
        Entry(k1.pk, Decimal("12"), Decimal("100")),  # 5.5 years, 12 kg, 100 cm: far below the median
        Entry(k2.pk, Decimal("19.5"), Decimal("112.4"), measured_lying=False),
    ], rnd=rounds[1])
    assert (result.created, result.updated) == (2, 0)
    m1 = Measurement.objects.get(child=k1)
    assert m1.round == rounds[1] and m1.group == classroom.groups["G1"] and m1.school == classroom.world.schools["S1a"]
    assert m1.age_days == (DAY - k1.birth_date).days and m1.uses_bmi
    z = zscores([k1.sex], [m1.age_days], [12.0], [100.0], measured_lying=[None])
    assert m1.waz == pytest.approx(z["waz"][0]) and m1.haz == pytest.approx(z["haz"][0])
    assert m1.whz is None  # undefined from 60 months
    # 12 kg at 66 months is far below -3 SD (WHO 2007: median about 19 kg); 100 cm is below -2 SD.
    assert m1.wfa_status == Status.SEVERE and m1.hfa_status in (Status.MODERATE, Status.SEVERE)
    m2 = Measurement.objects.get(child=k2)
    assert (m2.wfa_status, m2.hfa_status, m2.wfh_status) == (Status.NORMAL, Status.NORMAL, Status.NORMAL)
    assert m1.history.count() == 1


def test_saving_again_corrects_the_round_row(classroom, rounds):
    k1 = classroom.children["K1"]
    save(classroom, "teacher1a", "G1", [Entry(k1.pk, Decimal("18"), Decimal("110"))], rnd=rounds[1])
    result = save(classroom, "health1a", "G1", [Entry(k1.pk, Decimal("18,4".replace(",", ".")), Decimal("110.5"))],
                  rnd=rounds[1], day=DAY + dt.timedelta(days=2))
    assert (result.created, result.updated) == (0, 1)
    m = Measurement.objects.get(child=k1)
    assert m.weight_kg == Decimal("18.40") and m.date == DAY + dt.timedelta(days=2)


def test_outside_rounds(classroom):
    k4 = classroom.children["K4"]  # 25-36 months group
    save(classroom, "principal1a", "G2", [Entry(k4.pk, Decimal("12.2"), Decimal("88.0"), measured_lying=True)],
         day=dt.date(2023, 11, 10))
    m = Measurement.objects.get(child=k4)
    assert m.round is None and m.whz is not None and not m.uses_bmi


@pytest.mark.parametrize("entry, day, message", [
    (Entry(0, Decimal("-3"), Decimal("100")), DAY, "is not a child's weight"),
    (Entry(0, Decimal("300"), Decimal("100")), DAY, "weight: 300 kg is not a child's weight (1,5 to 60 kg)"),
    (Entry(0, Decimal("15"), Decimal("12")), DAY, "is not a child's height"),
    (Entry(0, None, None), DAY, "enter the weight, the height or both"),
])
def test_absurd_values_write_nothing(classroom, rounds, entry, day, message):
    k1, k2 = classroom.children["K1"], classroom.children["K2"]
    entry.child_id = k2.pk
    with pytest.raises(ValidationError) as exc:
        save(classroom, "teacher1a", "G1", [Entry(k1.pk, Decimal("18"), Decimal("110")), entry], rnd=rounds[1], day=day)
    text = " ".join(exc.value.messages)
    assert message in text and classroom.world.marker("child-K2") in text
    assert not Measurement.objects.exists()


def test_dates_before_birth_outside_round_or_in_future(classroom, rounds):
    k4 = classroom.children["K4"]
    errors = services.check_entry(Entry(k4.pk, Decimal("5"), Decimal("60")), name="Bé A", birth_date=k4.birth_date,
                                  day=dt.date(2021, 1, 1))
    assert errors == [f"Bé A: the date measured 01/01/2021 is before the date of birth {k4.birth_date:%d/%m/%Y}."]
    with pytest.raises(ValidationError, match="not enrolled"):  # the grid's children are those enrolled that day
        save(classroom, "principal1a", "G2", [Entry(k4.pk, Decimal("5"), Decimal("60"))], day=dt.date(2021, 1, 1))
    with pytest.raises(ValidationError, match="outside"):
        save(classroom, "principal1a", "G2", [Entry(k4.pk, Decimal("12"), Decimal("88"))], rnd=rounds[1],
             day=dt.date(2023, 10, 5))
    with pytest.raises(ValidationError, match="in the future"):
        save(classroom, "principal1a", "G2", [Entry(k4.pk, Decimal("12"), Decimal("88"))], day=dt.date(2024, 5, 1))
    assert not Measurement.objects.exists()


def test_teacher_cannot_write_other_groups_nor_a_child_elsewhere(classroom, rounds):
    with pytest.raises(Group.DoesNotExist):
        save(classroom, "teacher1a", "G2", [Entry(classroom.children["K4"].pk, Decimal("12"), Decimal("88"))])
    for user in ("district1", "parent1a", "kitchen1a", "principal2"):
        with pytest.raises(Group.DoesNotExist):
            save(classroom, user, "G1", [Entry(classroom.children["K1"].pk, Decimal("18"), Decimal("110"))])
    with pytest.raises(ValidationError, match="not enrolled"):
        save(classroom, "teacher1a", "G1", [Entry(classroom.children["K4"].pk, Decimal("12"), Decimal("88"))])
    assert not Measurement.objects.exists()


def test_preview_warns_of_flags_and_implausible_change(classroom, rounds):
    from mamnon.health import selectors

    k1 = classroom.children["K1"]
    save(classroom, "teacher1a", "G1", [Entry(k1.pk, Decimal("18"), Decimal("110"))], rnd=rounds[1])
    group = Group.objects.select_related("school__unit").get(pk=classroom.groups["G1"].pk)
    day = dt.date(2023, 12, 5)
    row = next(r for r in selectors.grid_rows(group, day, rounds[2]) if r.child_id == k1.pk)
    p = services.measurement_preview(group=group, row=row, day=day, entry=Entry(k1.pk, Decimal("18.5"),
                                                                                Decimal("107")))
    assert any("Shorter than" in w for w in p.warnings) and not p.errors
    p = services.measurement_preview(group=group, row=row, day=day, entry=Entry(k1.pk, Decimal("45"),
                                                                                Decimal("111")))
    assert any("more than a fifth" in w for w in p.warnings)
    assert any("biologically implausible" in w for w in p.warnings)  # 45 kg at 5.75 years: BMI-for-age > +5
    assert np.isfinite(p.scores["baz"])
