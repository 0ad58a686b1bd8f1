"""Pages of groups and children, per role; forms and their errors; pinned query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from mamnon.children import services
from mamnon.children.models import AgeBand, Child, ChildStatus, Enrolment, Group, GroupTeacher, Guardian, RuleOverride
from mamnon.org import services as org_services
from mamnon.org.models import Staff
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)
from tests.children.test_services import make_children

D = dt.date


@pytest.fixture(autouse=True)
def english(client):
    """Messages are English msgids; the Vietnamese catalogue is filled in separately."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def page(client, user, name, *args, status=200, **query):
    client.force_login(user)
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == status, (name, response.status_code)
    return response.content.decode()


def marker(key):
    return f"ZZ-{key}"


# --- who sees what ---------------------------------------------------------------------------------------


def test_teacher_sees_only_her_group_and_its_children(classroom, client):
    w, g = classroom.world, classroom.groups
    body = page(client, w.user("teacher1a"), "children:group-list")
    assert marker("group-G1") in body and marker("group-G2") not in body
    body = page(client, w.user("teacher1a"), "children:group-detail", g["G1"].pk)
    assert all(marker(f"child-{k}") in body for k in ("K1", "K2", "K3"))
    assert marker("guardian-K1") in body  # her children's guardians, with their phones
    page(client, w.user("teacher1a"), "children:group-detail", g["G2"].pk, status=404)
    page(client, w.user("teacher1a"), "children:child-detail", classroom.children["K4"].pk, status=404)
    body = page(client, w.user("teacher1a"), "children:child-search")
    assert marker("child-K1") in body and marker("child-K4") not in body


def test_parent_sees_only_her_own_child(classroom, client):
    w, g = classroom.world, classroom.groups
    parent = w.user("parent1a")
    body = page(client, parent, "children:group-list")
    assert marker("group-G1") in body and marker("group-G2") not in body
    assert marker("staff-teacher1a") not in body  # no staff names for parents
    body = page(client, parent, "children:group-detail", g["G1"].pk)
    assert marker("child-K1") in body and marker("child-K2") not in body and marker("child-K3") not in body
    body = page(client, parent, "children:child-detail", classroom.children["K1"].pk)
    assert marker("guardian-K1") in body
    page(client, parent, "children:child-detail", classroom.children["K2"].pk, status=404)
    body = page(client, parent, "children:child-search")
    assert marker("child-K1") in body and marker("child-K2") not in body
    page(client, parent, "children:rule-warnings", status=403)
    page(client, parent, "children:child-create", status=403)


def test_district_officer_sees_rosters_but_not_support_data_nor_family_contacts(classroom, client):
    w, g = classroom.world, classroom.groups
    officer = w.user("district1")
    body = page(client, officer, "children:group-list")
    assert all(marker(f"group-{k}") in body for k in ("G1", "G2", "G3")) and marker("group-G4") not in body
    body = page(client, officer, "children:group-detail", g["G1"].pk)
    assert marker("child-K1") in body and marker("guardian-K1") not in body and "0900000001" not in body
    body = page(client, officer, "children:child-detail", classroom.children["K1"].pk)
    assert marker("child-K1") in body and "ZZ-disability-K1" not in body and "Support information" not in body
    page(client, officer, "children:group-detail", g["G4"].pk, status=404)


def test_support_data_shows_to_the_school_and_not_to_the_kitchen(classroom, client):
    w, k1 = classroom.world, classroom.children["K1"]
    for key in ("principal1a", "health1a", "teacher1a", "parent1a"):
        assert "ZZ-disability-K1" in page(client, w.user(key), "children:child-detail", k1.pk), key
    for key in ("kitchen1a", "accountant1a", "district1", "commune1"):
        assert "ZZ-disability-K1" not in page(client, w.user(key), "children:child-detail", k1.pk), key


def test_group_list_badges_warnings(classroom, client):
    w, g1 = classroom.world, classroom.groups["G1"]
    make_children(g1, 40, born=D(2018, 5, 5))
    body = page(client, w.user("principal1a"), "children:group-list", year="2023-2024")
    assert "⚠ 1" in body  # G1: 43 children over its maximum (35 - 5 for K1's disability)
    body = page(client, w.user("principal1a"), "children:rule-warnings", year="2023-2024")
    assert "43" in body and "30" in body and "Record the decision" in body
    body = page(client, w.user("vice1a"), "children:rule-warnings", year="2023-2024")
    assert "43" in body and "Record the decision" not in body


# --- query counts ----------------------------------------------------------------------------------------


def _more_groups(classroom, n, kids_each, start=0):
    w = classroom.world
    staff = Staff.objects.get(user=w.user("teacher1a"))
    for i in range(start, start + n):
        g = Group.objects.create(school=w.schools["S1a"], school_year=classroom.year, name=f"Thêm {i}",
                                 age_band=AgeBand.MIXED_KINDER if i % 2 else AgeBand.K4)
        GroupTeacher.objects.create(group=g, staff=staff, school=g.school)
        GroupTeacher.objects.create(group=g, staff=w.staff["S1a"], school=g.school)
        make_children(g, kids_each, born=D(2019, 2, 2), prefix=f"T{i}", disabled=1)


@pytest.mark.parametrize("who", ["principal1a", "district1"])
def test_group_list_query_count_does_not_grow_with_rows(classroom, client, django_assert_num_queries, who):
    user = classroom.world.user(who)
    _more_groups(classroom, 2, 3)  # one mixed-age group: its children's ages are read (one query)
    client.force_login(user)
    url = reverse("children:group-list")
    with django_assert_num_queries(QUERIES_GROUP_LIST):
        client.get(url)
    _more_groups(classroom, 6, 8, start=2)
    with django_assert_num_queries(QUERIES_GROUP_LIST):
        response = client.get(url)
    assert response.content.decode().count("Thêm ") == 8


# session, user, grants, current year, years menu, filter's school choices, count, page, teachers, rules,
# overrides, mixed groups' birth dates
QUERIES_GROUP_LIST = 12


def test_group_roster_query_count_does_not_grow_with_children(classroom, client, django_assert_num_queries):
    g1 = classroom.groups["G1"]
    client.force_login(classroom.world.user("principal1a"))
    url = reverse("children:group-detail", args=[g1.pk])
    with django_assert_num_queries(QUERIES_ROSTER):
        client.get(url)
    kids = make_children(g1, 30, born=D(2018, 5, 5))
    Guardian.objects.bulk_create([Guardian(child=c, school=c.school, full_name=f"PH {c.pk}", relation="mother",
                                           phone="0912000111") for c in kids])
    with django_assert_num_queries(QUERIES_ROSTER):
        response = client.get(url)
    assert response.content.decode().count("0912000111") >= 30


# session, user, grants, group, counted group, its teachers, rules, overrides, enrolments, guardians
QUERIES_ROSTER = 10


def test_child_search_list_query_count(classroom, client, django_assert_num_queries):
    client.force_login(classroom.world.user("principal1a"))
    url = reverse("children:child-search")
    with django_assert_num_queries(QUERIES_SEARCH) as ctx:
        client.get(url)
    make_children(classroom.groups["G1"], 20, born=D(2018, 5, 5))
    with django_assert_num_queries(len(ctx.captured_queries)):
        client.get(url)
    with django_assert_num_queries(len(ctx.captured_queries) - 2):  # the fragment renders no filter form
        body = client.get(url, {"q": "zz child"}, HTTP_HX_REQUEST="true").content.decode()
    assert body.count("ZZ-child-") == 4


# session, user, grants, current year (group choices), count, page, open enrolments, school and group choices
QUERIES_SEARCH = 9


# --- forms -----------------------------------------------------------------------------------------------


def child_post(**over):
    data = {
        "full_name": "Lê Thị Hoa", "birth_date": "12/03/2019", "sex": "F", "ethnicity": "01", "personal_id": "",
        "address": "", "g-TOTAL_FORMS": "2", "g-INITIAL_FORMS": "0", "g-MIN_NUM_FORMS": "0", "g-MAX_NUM_FORMS": "4",
        "g-0-full_name": "Lê Văn Bố", "g-0-relation": "father", "g-0-phone": "0912 345 678", "g-0-consent": "on",
        "g-0-is_primary": "on",
        # The second guardian form, left empty as a browser sends it.
        "g-1-full_name": "", "g-1-relation": "", "g-1-phone": "",
    }
    data.update(over)
    return data


def test_principal_adds_a_child_with_a_guardian_and_a_group(classroom, client):
    w = classroom.world
    client.force_login(w.user("principal1a"))
    g3 = Group.objects.create(school=w.schools["S1a"], school_year=classroom.year, name="Chồi A", age_band=AgeBand.K4)
    response = client.post(reverse("children:child-create"), child_post(group=str(g3.pk)))
    assert response.status_code == 302, response.content.decode()[:3000]
    child = Child.objects.get(full_name="Lê Thị Hoa")
    assert child.birth_date == D(2019, 3, 12) and child.school == w.schools["S1a"]
    g = Guardian.objects.get(child=child)
    assert g.phone == "0912345678" and g.consent_at is not None and g.is_primary
    assert Enrolment.objects.get(child=child).group == g3
    assert response["Location"] == reverse("children:child-detail", args=[child.pk])


def test_child_form_errors_name_the_field_and_save_nothing(classroom, client):
    w = classroom.world
    client.force_login(w.user("principal1a"))
    before = Child.objects.count()
    body = client.post(reverse("children:child-create"), child_post(birth_date="01/01/2099")).content.decode()
    assert "Date of birth: 01/01/2099 is in the future." in body
    body = client.post(reverse("children:child-create"), child_post(**{"g-0-phone": "12345"})).content.decode()
    assert "not a Vietnamese mobile number" in body
    no_guardian = child_post(**{"g-0-full_name": "", "g-0-relation": "", "g-0-phone": "", "g-0-consent": "",
                                "g-0-is_primary": ""})
    body = client.post(reverse("children:child-create"), no_guardian).content.decode()
    assert "at least one parent or guardian" in body
    # A 4-year-old into the 5-year-olds' class: the whole creation is undone.
    body = client.post(reverse("children:child-create"),
                       child_post(group=str(classroom.groups["G1"].pk))).content.decode()
    assert "4-5" in body and "The principal may admit with a recorded reason" in body
    assert Child.objects.count() == before


def test_forms_are_for_school_managers(classroom, client):
    w, k1 = classroom.world, classroom.children["K1"]
    for key in ("teacher1a", "district1", "kitchen1a"):
        client.force_login(w.user(key))
        assert client.get(reverse("children:child-create")).status_code == 403
        assert client.get(reverse("children:child-edit", args=[k1.pk])).status_code in (403, 404)
        assert client.post(reverse("children:child-leave", args=[k1.pk]),
                           {"reason": "xxxxxx", "on": "01/02/2024"}).status_code in (403, 404)
    assert Child.objects.get(pk=k1.pk).status == ChildStatus.ENROLLED


def test_edit_child_and_support(classroom, client):
    w, k2 = classroom.world, classroom.children["K2"]
    client.force_login(w.user("health1a"))
    assert client.get(reverse("children:child-edit", args=[k2.pk])).status_code == 403
    client.force_login(w.user("principal1a"))
    body = client.get(reverse("children:child-edit", args=[k2.pk])).content.decode()
    assert "Type of disability" in body
    data = {"full_name": "ZZ-child-K2", "birth_date": k2.birth_date.strftime("%d/%m/%Y"), "sex": k2.sex,
            "ethnicity": "02", "personal_id": "abc", "address": "Số 1"}
    body = client.post(reverse("children:child-edit", args=[k2.pk]), data).content.decode()
    assert "Personal identification number" in body and "12 digits" in body
    data.update(personal_id="", orphan="on")
    assert client.post(reverse("children:child-edit", args=[k2.pk]), data).status_code == 302
    k2.refresh_from_db()
    assert k2.ethnicity == "02" and k2.support.orphan


def test_admit_over_full_group_and_override_through_the_page(classroom, client):
    w, g1 = classroom.world, classroom.groups["G1"]
    make_children(g1, 27, born=D(2018, 5, 5))  # 30 = 35 - 5 (K1 has a disability; TT 19/2023 from 16/12/2023)
    child = services.child_create(actor=w.user("principal1a"), school=w.schools["S1a"], full_name="Mới",
                                  birth_date=D(2018, 9, 9), sex="M")
    client.force_login(w.user("principal1a"))
    url = reverse("children:child-admit", args=[child.pk])
    body = client.post(url, {"group": g1.pk, "on": "02/01/2024"}).content.decode()
    assert "31" in body and "refused" in body
    assert not Enrolment.objects.filter(child=child).exists()
    response = client.post(url, {"group": g1.pk, "on": "02/01/2024", "override_reason": "Chưa đủ phòng"})
    assert response.status_code == 302
    assert Enrolment.objects.get(child=child).group == g1
    assert RuleOverride.objects.get(group=g1, rule_code="group_max").decided_by == w.user("principal1a")


def test_override_form_records_the_decision(classroom, client):
    w, g1 = classroom.world, classroom.groups["G1"]
    make_children(g1, 40, born=D(2018, 5, 5))
    data = {"code": "group_max", "school": g1.school_id, "group": g1.pk, "reason": "Chờ xây thêm phòng"}
    client.force_login(w.user("vice1a"))
    client.post(reverse("children:rule-override"), data)
    assert not RuleOverride.objects.exists()
    client.force_login(w.user("principal2"))
    assert client.post(reverse("children:rule-override"), data).status_code == 404
    client.force_login(w.user("principal1a"))
    assert client.post(reverse("children:rule-override"), data).status_code == 302
    assert RuleOverride.objects.get().reason == "Chờ xây thêm phòng"
    body = page(client, w.user("principal1a"), "children:group-list", year="2023-2024")
    assert "⚠" not in body
    assert "Chờ xây thêm phòng" in page(client, w.user("principal1a"), "children:group-detail", g1.pk)


def test_transfer_through_the_pages(classroom, client):
    w, k2 = classroom.world, classroom.children["K2"]
    client.force_login(w.user("principal1a"))
    url = reverse("children:child-transfer", args=[k2.pk])
    body = client.post(url, {"to_school": "NOPE", "on": "10/11/2023"}).content.decode()
    assert "no open school has the code NOPE" in body
    assert client.post(url, {"to_school": "S1b", "on": "10/11/2023"}).status_code == 302
    assert marker("child-K2") in page(client, w.user("principal1a"), "children:transfer-list")
    inbox = page(client, w.user("principal1b"), "children:transfer-list")
    assert marker("child-K2") in inbox
    assert marker("child-K2") not in page(client, w.user("principal2"), "children:transfer-list")
    g = Group.objects.create(school=w.schools["S1b"], school_year=classroom.year, name="Lá B", age_band=AgeBand.K5)
    from mamnon.children.models import Transfer

    t = Transfer.objects.get(child=k2)
    client.force_login(w.user("principal2"))
    assert client.get(reverse("children:transfer-accept", args=[t.pk])).status_code == 404
    client.force_login(w.user("principal1b"))
    response = client.post(reverse("children:transfer-accept", args=[t.pk]), {"group": g.pk, "on": "13/11/2023"})
    assert response.status_code == 302
    assert Child.objects.get(pk=k2.pk).school == w.schools["S1b"]


def test_group_create_and_rollover_pages(classroom, client):
    w = classroom.world
    nxt = org_services.school_year_create(start_year=2024)
    client.force_login(w.user("principal1a"))
    body = client.get(reverse("children:rollover")).content.decode()
    assert "Create next year" in body
    mine = Staff.objects.get(user=w.user("teacher1a"))
    response = client.post(reverse("children:group-create"), {
        "school": w.schools["S1a"].pk, "school_year": nxt.pk, "name": "Mầm 1", "age_band": "k3",
        "full_day": "on", "teachers": [mine.pk]})
    assert response.status_code == 302
    new = Group.objects.get(name="Mầm 1")
    assert list(new.teachers.all()) == [mine]
    form = {f"g{classroom.groups['G2'].pk}": str(new.pk), f"g{classroom.groups['G1'].pk}": ""}
    response = client.post(reverse("children:rollover") + "?year=2023-2024", form)
    assert response.status_code == 302
    assert Enrolment.objects.get(child=classroom.children["K4"], end_date__isnull=True).group == new
    assert Child.objects.get(pk=classroom.children["K1"].pk).status == ChildStatus.FINISHED
    client.force_login(w.user("vice1a"))
    assert client.get(reverse("children:rollover")).status_code == 403


def test_htmx_search_returns_the_fragment(classroom, client):
    w = classroom.world
    services.child_create(actor=w.user("principal1a"), school=w.schools["S1a"], full_name="Nguyễn Văn An",
                          birth_date=D(2019, 1, 1), sex="M")
    client.force_login(w.user("principal1a"))
    response = client.get(reverse("children:child-search"), {"q": "nguyen van an"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Nguyễn Văn An" in body and "<html" not in body
