"""The change log: who changed what, old and new values, shown only within the viewer's scope."""

import datetime as dt

import pytest

from mamnon.core import audit
from mamnon.org import services
from mamnon.org.models import OrgUnit, School

OLD_ADDRESS = "ZZ-old-address-S1a"
NEW_ADDRESS = "ZZ-new-address-S1a"
S2_ADDRESS = "ZZ-secret-address-S2"


def change_address(school, address, actor):
    school = School.objects.get(pk=school.pk)
    school.address = address
    school._history_user = actor
    school.save()
    return school


@pytest.fixture
def changes(world):
    principal = world.user("principal1a")
    change_address(world.schools["S1a"], OLD_ADDRESS, principal)
    change_address(world.schools["S1a"], NEW_ADDRESS, principal)
    change_address(world.schools["S2"], S2_ADDRESS, world.user("principal2"))
    return world


def login(client, world, key):
    client.force_login(world.user(key))  # axes needs a request to authenticate; test_auth covers the form


def test_model_save_records_the_acting_user_and_both_values(changes):
    school = changes.schools["S1a"]
    latest, before = School.history.filter(unit_id=school.pk).order_by("-history_date", "-history_id")[:2]
    assert latest.history_type == "~"
    assert latest.history_user == changes.user("principal1a")
    delta = latest.diff_against(before)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("address", OLD_ADDRESS, NEW_ADDRESS)]


def test_rename_service_records_the_actor(world):
    actor = world.user("district1")
    c1 = world.units["C1"]
    services.unit_rename(unit=c1, name="Xã Đổi Tên", effective=dt.date(2025, 7, 1), actor=actor)
    record = OrgUnit.history.filter(id=c1.pk).order_by("-history_date", "-history_id").first()
    assert (record.name, record.history_user, record.history_type) == ("Xã Đổi Tên", actor, "~")
    [entry] = [e for e in audit.describe(audit.entries_for(actor, model="org.OrgUnit"))
               if e.record.history_id == record.history_id]
    assert ("name", "ZZ-C1", "Xã Đổi Tên") in entry.changes
    assert entry.who == str(actor)


def test_entries_are_scoped_like_the_records(changes):
    principal = changes.user("principal1a")
    entries = audit.entries_for(principal, model="org.School")
    assert entries and {e.record.unit_id for e in entries} == {changes.units["S1a"].pk}
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)
    # The province sees both schools' changes; a teacher sees none.
    province_units = {e.record.unit_id for e in audit.entries_for(changes.user("province"), model="org.School")}
    assert {changes.units["S1a"].pk, changes.units["S2"].pk} <= province_units
    assert audit.entries_for(changes.user("teacher1a")) == []


def test_audit_page_shows_old_and_new_values_in_scope_only(client, changes):
    login(client, changes, "principal1a")
    response = client.get("/audit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert OLD_ADDRESS in html and NEW_ADDRESS in html
    assert changes.user("principal1a").full_name in html  # who made the change
    assert S2_ADDRESS not in html
    assert changes.marker("S2") not in html
    assert changes.marker("S1b") not in html


def test_audit_page_filter_by_record_type(client, changes):
    login(client, changes, "principal1a")
    html = client.get("/audit/", {"model": "org.Site"}).content.decode()
    assert changes.marker("site-S1a") in html
    assert NEW_ADDRESS not in html


def test_district_officer_sees_changes_below_the_district_only(client, changes):
    login(client, changes, "district1")
    html = client.get("/audit/").content.decode()
    assert NEW_ADDRESS in html
    assert S2_ADDRESS not in html


def test_other_principal_sees_her_own_school_only(client, changes):
    login(client, changes, "principal2")
    html = client.get("/audit/").content.decode()
    assert S2_ADDRESS in html
    assert OLD_ADDRESS not in html and NEW_ADDRESS not in html


def test_teacher_is_refused(client, changes):
    login(client, changes, "teacher1a")
    assert client.get("/audit/").status_code == 403


def test_anonymous_is_sent_to_login(client, changes):
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/audit/")


def test_unit_creation_appears_in_the_managers_change_log(client, world):
    from mamnon.org import services

    services.unit_create(code="C9", name="ZZ-new-commune", level=world.levels["commune"], parent=world.units["D1"],
                         actor=world.user("district1"))
    client.force_login(world.user("district1"))
    assert "ZZ-new-commune" in client.get("/audit/").content.decode()
    client.force_login(world.user("district2"))
    assert "ZZ-new-commune" not in client.get("/audit/").content.decode()


def test_officers_do_not_read_family_records_through_the_log(client, classroom):
    w = classroom.world
    guardian = classroom.guardians["K1"]
    guardian.full_name = "ZZ-renamed-guardian"
    guardian._history_user = w.user("principal1a")
    guardian.save()
    client.force_login(w.user("district1"))
    assert "ZZ-renamed-guardian" not in client.get("/audit/").content.decode()
    client.force_login(w.user("principal1a"))
    assert "ZZ-renamed-guardian" in client.get("/audit/").content.decode()
