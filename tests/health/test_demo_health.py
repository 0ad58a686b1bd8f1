"""The demo generator: rounds for the province, one measurement per enrolled child per round begun."""

import datetime as dt
import random

from mamnon.core.demo import DemoContext
from mamnon.health import demo
from mamnon.health.models import Measurement, MeasurementRound


def test_demo_rounds_and_measurements(classroom):
    w = classroom.world
    ctx = DemoContext(scale="small", seed=1, rng=random.Random(1), progress=lambda label, total: (lambda i: None))
    ctx.data = {"children": {"school_year_id": classroom.year.pk}, "org": {"province_id": w.units["P"].pk}}
    demo.generate(ctx, today=dt.date(2024, 1, 10))  # rounds 1 and 2 have begun, round 3 has not
    assert MeasurementRound.objects.filter(unit=w.units["P"]).count() == 3
    by_round = {n: Measurement.objects.filter(round__number=n).count() for n in (1, 2, 3)}
    assert by_round == {1: 6, 2: 6, 3: 0}
    m = Measurement.objects.filter(round__number=2).first()
    assert m.waz is not None and m.wfa_status > 0 and dt.date(2023, 12, 1) <= m.date <= dt.date(2023, 12, 31)


def test_demo_bodies_have_the_z_scores_drawn():
    """``demo.body`` inverts WHO's LMS: the engine gives back the height-for-age and BMI-for-age z drawn."""
    import numpy as np

    from mamnon.calc.growth import zscores

    age = np.array([800, 1200, 1700, 1900, 2100, 2300])  # both sides of 60 months (1826 days)
    male = np.array([True, False, True, False, True, False])
    hz = np.array([-2.5, -1.0, 0.0, 0.5, 1.0, -0.3])
    bz = np.array([0.0, 2.2, -2.4, 1.3, 0.0, -0.5])
    height, weight = demo.body(age, male, hz, bz)
    z = zscores(np.where(male, "M", "F"), age, weight, height, measured_lying=np.zeros(6, bool))
    assert np.allclose(z["haz"], hz, atol=0.01) and np.allclose(z["baz"], bz, atol=0.01)
