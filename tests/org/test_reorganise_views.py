"""Officers rename, move and merge units from the UI; the tree history keeps the earlier state."""

import datetime as dt

from mamnon.org import selectors
from mamnon.org.models import OrgUnit, School


def _url(unit):
    return f"/org/units/{unit.pk}/reorganise/"


def test_district_officer_renames_a_commune_with_an_effective_date(client, world):
    client.force_login(world.user("district1"))
    c1 = world.units["C1"]
    response = client.post(_url(c1), {"action": "rename", "rename-name": "Phường Mới", "rename-code": "C1-NEW",
                                      "rename-effective": "01/07/2025"})
    assert response.status_code == 302
    c1.refresh_from_db()
    assert (c1.name, c1.code) == ("Phường Mới", "C1-NEW")
    assert selectors.version_as_of(c1, dt.date(2024, 9, 5)).name == world.marker("C1")
    assert selectors.version_as_of(c1, dt.date(2025, 7, 1)).name == "Phường Mới"


def test_merge_from_the_ui_moves_schools_located_in_the_commune(client, world):
    client.force_login(world.user("province"))
    c1, c2 = world.units["C1"], world.units["C2"]
    response = client.post(_url(c1), {"action": "merge", "merge-target": c2.pk, "merge-effective": "01/07/2025"})
    assert response.status_code == 302
    c1.refresh_from_db()
    assert not c1.active and c1.merged_into_id == c2.pk and c1.valid_to == dt.date(2025, 6, 30)
    assert set(School.objects.filter(commune=c2).values_list("unit__code", flat=True)) == {"S1a", "S1b", "S2"}


def test_bad_date_and_bad_target_are_field_errors_and_nothing_changes(client, world):
    client.force_login(world.user("province"))
    c1 = world.units["C1"]
    response = client.post(_url(c1), {"action": "move", "move-new_parent": world.units["S2"].pk,
                                      "move-effective": "31/02/2025"})
    assert response.status_code == 200
    errors = response.context["forms"]["move"].errors
    assert "new_parent" in errors and "effective" in errors
    c1.refresh_from_db()
    assert c1.parent_id == world.units["D1"].pk


def test_effective_date_before_the_current_state_is_refused(client, world):
    client.force_login(world.user("province"))
    c1 = world.units["C1"]
    response = client.post(_url(c1), {"action": "rename", "rename-name": "X", "rename-code": "C1",
                                      "rename-effective": "01/01/2019"})
    assert response.status_code == 200
    assert response.context["forms"]["rename"].errors["effective"]
    assert OrgUnit.objects.get(pk=c1.pk).name == world.marker("C1")


def test_only_officers_above_the_unit_may_reorganise_it(client, world):
    for key, unit_key in (("principal1a", "S1a"), ("district1", "D1"), ("district2", "C1"), ("teacher1a", "S1a")):
        client.force_login(world.user(key))
        assert client.get(_url(world.units[unit_key])).status_code in (403, 404), key
    client.force_login(world.user("district1"))
    assert client.get(_url(world.units["S1a"])).status_code == 200


def test_dissolving_a_district_in_2025_keeps_the_2024_tree(client, world):
    """Two-tier reform: D1's schools and commune move under the province, then D1 closes on 01/07/2025."""
    client.force_login(world.user("province"))
    d1, p = world.units["D1"], world.units["P"]
    response = client.post(_url(d1), {"action": "close", "close-effective": "01/07/2025"})
    assert response.status_code == 200 and response.context["forms"]["close"].errors["effective"]
    for key in ("C1", "S1a", "S1b"):
        client.post(_url(world.units[key]), {"action": "move", "move-new_parent": p.pk,
                                               "move-effective": "01/07/2025"})
    response = client.post(_url(d1), {"action": "close", "close-effective": "01/07/2025", "close-note": "NQ 202"})
    assert response.status_code == 302
    d1.refresh_from_db()
    assert not d1.active and d1.valid_to == dt.date(2025, 6, 30)
    then = {v.code for v in selectors.tree_as_of(d1, dt.date(2024, 9, 5))}
    assert then == {"D1", "C1", "S1a", "S1b"}
    now = {v.code for v in selectors.tree_as_of(p, dt.date(2025, 9, 5))}
    assert "D1" not in now and {"C1", "S1a", "S1b", "D2"} <= now
    assert OrgUnit.objects.get(code="S1a").parent_id == p.pk
