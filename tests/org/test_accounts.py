"""Creating accounts through the page (who may give which role where), and the home page counts."""

import re

import pytest
from django.contrib.auth import get_user_model

from mamnon.core.roles import Role
from mamnon.org.models import Membership

URL = "/org/accounts/new/"
User = get_user_model()


def form_data(world, **overrides):
    data = {
        "full_name": "Nguyễn Thị Lan",
        "username": "gv.lan",
        "phone": "0987 654 321",
        "password": "Hoa-sen-nở-2024!",
        "unit": world.units["S1a"].pk,
        "role": Role.TEACHER.value,
    }
    data.update(overrides)
    return data


def as_user(client, world, key):
    client.force_login(world.user(key))
    return client


def counts(world):
    return User.objects.count(), Membership.objects.count()


def test_principal_creates_a_teacher(client, world):
    response = as_user(client, world, "principal1a").post(URL, form_data(world))
    assert response.status_code == 302
    assert response["Location"] == "/org/accounts/"
    user = User.objects.get(username="gv.lan")
    assert user.full_name == "Nguyễn Thị Lan"
    assert user.phone == "0987654321"  # stored normalised
    assert user.password.startswith("argon2$")
    assert user.check_password("Hoa-sen-nở-2024!")
    [membership] = user.memberships.all()
    assert (membership.unit_id, membership.role, membership.active) == (world.units["S1a"].pk, Role.TEACHER, True)
    # The new account appears on the principal's account list.
    assert "gv.lan" in client.get("/org/accounts/").content.decode()


@pytest.mark.parametrize(
    ("actor", "overrides", "field"),
    [
        ("principal1a", {"role": Role.PRINCIPAL.value}, "role"),  # a principal cannot appoint a principal
        ("principal1a", {"unit": "S2"}, "unit"),  # nor act outside her school
        ("principal1a", {"unit": "S1b"}, "unit"),
        ("principal1a", {"unit": "D1", "role": Role.DISTRICT_OFFICER.value}, "unit"),
        ("district1", {"unit": "S2", "role": Role.PRINCIPAL.value}, "unit"),
        ("district1", {"unit": "D1", "role": Role.DISTRICT_OFFICER.value}, "role"),  # not at one's own level
        ("district1", {"unit": "S1a", "role": Role.TEACHER.value}, "role"),  # teachers are the school's business
        ("district1", {"role": Role.ADMIN.value}, "role"),
    ],
)
def test_roles_and_units_outside_ones_reach_are_refused(client, world, actor, overrides, field):
    if "unit" in overrides:
        overrides["unit"] = world.units[overrides["unit"]].pk
    before = counts(world)
    response = as_user(client, world, actor).post(URL, form_data(world, **overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    for message in form.errors[field]:
        assert message in response.content.decode()
    assert counts(world) == before
    assert not User.objects.filter(username="gv.lan").exists()


def test_the_unit_list_offers_only_units_in_reach(client, world):
    response = as_user(client, world, "principal1a").get(URL)
    assert response.status_code == 200
    assert list(response.context["form"].fields["unit"].queryset) == [world.units["S1a"]]
    html = response.content.decode()
    assert world.marker("S1a") in html
    assert world.marker("S2") not in html and world.marker("S1b") not in html
    district_units = {u.code for u in as_user(client, world, "district1").get(URL).context["form"]
                      .fields["unit"].queryset}
    assert district_units == {"D1", "C1", "S1a", "S1b"}


def test_district_officer_appoints_a_principal(client, world):
    response = as_user(client, world, "district1").post(
        URL, form_data(world, username="ht.moi", unit=world.units["S1b"].pk, role=Role.PRINCIPAL.value))
    assert response.status_code == 302
    user = User.objects.get(username="ht.moi")
    assert list(user.memberships.values_list("unit__code", "role")) == [("S1b", Role.PRINCIPAL.value)]


def test_district_officer_appoints_a_commune_officer(client, world):
    response = as_user(client, world, "district1").post(
        URL, form_data(world, username="xa.moi", unit=world.units["C1"].pk, role=Role.COMMUNE_OFFICER.value))
    assert response.status_code == 302
    assert Membership.objects.filter(user__username="xa.moi", unit=world.units["C1"],
                                     role=Role.COMMUNE_OFFICER).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "teacher1a"}, "username"),
        ({"username": "TEACHER1A"}, "username"),  # usernames are compared without case
        ({"username": "gv lan"}, "username"),
        ({"username": "cô.lan"}, "username"),  # ASCII only
        ({"phone": "0123456789"}, "phone"),
        ({"phone": "091234567"}, "phone"),
        ({"phone": "09123abcde"}, "phone"),
        ({"password": "12345678"}, "password"),
        ({"password": "gv.lan"}, "password"),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_field_errors(client, world, overrides, field):
    before = counts(world)
    response = as_user(client, world, "principal1a").post(URL, form_data(world, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    html = response.content.decode()
    for message in errors[field]:
        assert message in html
    assert counts(world) == before


def test_phone_already_taken_in_another_spelling(client, world):
    User.objects.filter(username="teacher1a").update(phone="0987654321")
    response = as_user(client, world, "principal1a").post(URL, form_data(world, phone="+84 987 654 321"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["phone"]


@pytest.mark.parametrize("key", ["teacher1a", "vice1a", "parent1a", "nobody"])
def test_people_who_do_not_manage_accounts_get_403(client, world, key):
    as_user(client, world, key)
    assert client.get(URL).status_code == 403
    before = counts(world)
    assert client.post(URL, form_data(world)).status_code == 403
    assert counts(world) == before


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


# --- home page -----------------------------------------------------------------------------------


def data_counts(html):
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">\s*(\d+)\s*<', html)}


def test_home_page_counts_for_a_district_officer(client, world):
    html = as_user(client, world, "district1").get("/").content.decode()
    # D1 holds S1a and S1b, one staff record each, and 10 active memberships: district1, commune1, the seven
    # roles at S1a and principal1b.
    assert data_counts(html) == {"schools": 2, "staff": 2, "accounts": 10}
    assert world.marker("D1") in html and world.marker("S1a") in html and world.marker("S1b") in html
    assert world.marker("S2") not in html
    assert world.marker("D2") not in html


def test_home_page_counts_follow_changes(client, world):
    Membership.objects.filter(user__username="parent1a").update(active=False)
    world.staff["S1b"].active = False
    world.staff["S1b"].save()
    html = as_user(client, world, "district1").get("/").content.decode()
    assert data_counts(html) == {"schools": 2, "staff": 1, "accounts": 9}


def test_home_page_for_the_province(client, world):
    html = as_user(client, world, "province").get("/").content.decode()
    assert data_counts(html) == {"schools": 3, "staff": 3, "accounts": 13}
    assert world.marker("S2") not in html  # schools are not children of P: only D1 and D2 are listed
    assert world.marker("D1") in html and world.marker("D2") in html


def test_home_page_for_a_principal(client, world):
    html = as_user(client, world, "principal1a").get("/").content.decode()
    assert data_counts(html) == {"schools": 1, "staff": 1, "accounts": 7}
    assert world.marker("S1b") not in html
