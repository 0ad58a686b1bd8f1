"""Who sees and does what: core.scoping against the shared world, role by role.

World: P > D1 > {C1, S1a, S1b}, P > D2 > {C2, S2}. Schools hang under their district; ``School.commune``
says which commune they stand in. Every expected set below is written out by hand from that picture.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from mamnon.core import scoping
from mamnon.core.roles import Role
from mamnon.org.models import Membership, OrgUnit, School, Site, Staff

User = get_user_model()

ALL_UNITS = {"P", "D1", "D2", "C1", "C2", "S1a", "S1b", "S2"}
ALL_SCHOOLS = {"S1a", "S1b", "S2"}
S1A_ROLES = ["principal1a", "vice1a", "teacher1a", "health1a", "kitchen1a", "accountant1a", "parent1a"]
ALL_MEMBERS = {"province", "district1", "district2", "commune1", *S1A_ROLES, "principal1b", "principal2"}
D1_MEMBERS = {"district1", "commune1", *S1A_ROLES, "principal1b"}

# user -> (units, schools (= sites), staff) they may VIEW
VIEW = {
    "admin": (ALL_UNITS, ALL_SCHOOLS, ALL_SCHOOLS),
    "province": (ALL_UNITS, ALL_SCHOOLS, ALL_SCHOOLS),
    "district1": ({"D1", "C1", "S1a", "S1b"}, {"S1a", "S1b"}, {"S1a", "S1b"}),
    "district2": ({"D2", "C2", "S2"}, {"S2"}, {"S2"}),
    # Schools hang under the district; the commune officer of C1 also views those standing in C1.
    "commune1": ({"C1", "S1a", "S1b"}, {"S1a", "S1b"}, {"S1a", "S1b"}),
    "principal1a": ({"S1a"}, {"S1a"}, {"S1a"}),
    "vice1a": ({"S1a"}, {"S1a"}, {"S1a"}),
    "teacher1a": ({"S1a"}, {"S1a"}, {"S1a"}),
    "health1a": ({"S1a"}, {"S1a"}, {"S1a"}),
    "kitchen1a": ({"S1a"}, {"S1a"}, {"S1a"}),
    "accountant1a": ({"S1a"}, {"S1a"}, {"S1a"}),
    "parent1a": ({"S1a"}, {"S1a"}, set()),  # parents see their school, not its staff list
    "principal1b": ({"S1b"}, {"S1b"}, {"S1b"}),
    "principal2": ({"S2"}, {"S2"}, {"S2"}),
    "nobody": (set(), set(), set()),
}

# user -> (units they may CHANGE, schools they may CHANGE, units they may MANAGE)
WRITE = {
    "admin": (ALL_UNITS, ALL_SCHOOLS, ALL_UNITS),
    "province": (ALL_UNITS, ALL_SCHOOLS, ALL_UNITS),
    "district1": ({"D1", "C1", "S1a", "S1b"}, {"S1a", "S1b"}, {"D1", "C1", "S1a", "S1b"}),
    "commune1": ({"C1"}, set(), {"C1"}),
    "principal1a": ({"S1a"}, {"S1a"}, {"S1a"}),
    "vice1a": ({"S1a"}, {"S1a"}, set()),
    "teacher1a": (set(), set(), set()),
    "health1a": (set(), set(), set()),
    "kitchen1a": (set(), set(), set()),
    "accountant1a": (set(), set(), set()),
    "parent1a": (set(), set(), set()),
    "nobody": (set(), set(), set()),
}

# user -> (memberships they may VIEW, by username of the member; users they may VIEW; memberships to MANAGE)
ACCOUNTS = {
    "admin": (ALL_MEMBERS, ALL_MEMBERS | {"admin", "nobody"}, ALL_MEMBERS),
    "province": (ALL_MEMBERS, ALL_MEMBERS, ALL_MEMBERS),
    "district1": (D1_MEMBERS, D1_MEMBERS, D1_MEMBERS),
    "district2": ({"district2", "principal2"}, {"district2", "principal2"}, {"district2", "principal2"}),
    "commune1": ({"commune1"}, {"commune1"}, {"commune1"}),
    "principal1a": (set(S1A_ROLES), set(S1A_ROLES), set(S1A_ROLES)),
    "vice1a": ({"vice1a"}, {"vice1a"}, set()),  # vice-principals do not manage accounts
    "teacher1a": ({"teacher1a"}, {"teacher1a"}, set()),
    "parent1a": ({"parent1a"}, {"parent1a"}, set()),
    "principal2": ({"principal2"}, {"principal2"}, {"principal2"}),
    "nobody": (set(), {"nobody"}, set()),
}


def fresh_user(username):
    """A new user object, so no grants are cached from an earlier call."""
    return User.objects.get(username=username)


def unit_codes(qs):
    return set(qs.values_list("code", flat=True))


def school_codes(qs):
    return set(qs.values_list("unit__code", flat=True))


def site_schools(qs):
    return set(qs.values_list("school__unit__code", flat=True))


def staff_units(qs):
    return set(qs.values_list("unit__code", flat=True))


def member_names(qs):
    return set(qs.values_list("user__username", flat=True))


@pytest.mark.parametrize("username", sorted(VIEW))
def test_view_sets(world, username):
    user = fresh_user(username)
    units, schools, staff = VIEW[username]
    assert unit_codes(OrgUnit.objects.for_user(user)) == units
    assert unit_codes(OrgUnit.objects.for_user(user, "view")) == units
    assert school_codes(School.objects.for_user(user)) == schools
    assert site_schools(Site.objects.for_user(user)) == schools
    assert staff_units(Staff.objects.for_user(user)) == staff


@pytest.mark.parametrize("username", sorted(WRITE))
def test_change_and_manage_sets(world, username):
    user = fresh_user(username)
    units, schools, managed = WRITE[username]
    assert unit_codes(OrgUnit.objects.for_user(user, "change")) == units
    assert school_codes(School.objects.for_user(user, "change")) == schools
    assert site_schools(Site.objects.for_user(user, "change")) == schools
    assert unit_codes(OrgUnit.objects.for_user(user, "manage")) == managed


@pytest.mark.parametrize("username", sorted(ACCOUNTS))
def test_membership_and_user_sets(world, username):
    user = fresh_user(username)
    memberships, users, managed = ACCOUNTS[username]
    assert member_names(Membership.objects.for_user(user)) == memberships
    assert set(User.objects.for_user(user).values_list("username", flat=True)) == users
    assert member_names(Membership.objects.for_user(user, "manage")) == managed
    # Accounts one may manage are those holding a membership one may manage (administrators: every account).
    managed_users = users if username == "admin" else managed
    assert set(User.objects.for_user(user, "manage").values_list("username", flat=True)) == managed_users


def test_anonymous_gets_nothing(world):
    anon = AnonymousUser()
    for model in (OrgUnit, School, Site, Staff, Membership):
        for action in scoping.ACTIONS:
            assert not model.objects.for_user(anon, action).exists()
    assert not User.objects.for_user(anon).exists()
    assert not scoping.restrict(OrgUnit.objects.all(), None).exists()


def test_inactive_membership_grants_nothing(world):
    Membership.objects.filter(user__username="district1").update(active=False)
    user = fresh_user("district1")
    assert not OrgUnit.objects.for_user(user).exists()
    assert not School.objects.for_user(user).exists()


def test_admin_membership_counts_as_administrator(world):
    user = fresh_user("nobody")
    Membership.objects.create(user=user, unit=world.units["D2"], role=Role.ADMIN)
    user = fresh_user("nobody")
    assert scoping.is_admin(user)
    assert unit_codes(OrgUnit.objects.for_user(user, "manage")) == ALL_UNITS


def test_unknown_action_is_refused(world):
    with pytest.raises(ValueError):
        OrgUnit.objects.for_user(fresh_user("province"), "delete")


def test_restrict_narrows_an_existing_queryset(world):
    user = fresh_user("province")
    qs = OrgUnit.objects.filter(level__code="school").for_user(user)
    assert unit_codes(qs) == ALL_SCHOOLS
    assert unit_codes(OrgUnit.objects.filter(code__in=["S1a", "S2"]).for_user(fresh_user("district1"))) == {"S1a"}


# --- check ---------------------------------------------------------------------------------------


def test_check_single_objects(world):
    u, s = world.units, world.schools
    teacher, principal, district1 = fresh_user("teacher1a"), fresh_user("principal1a"), fresh_user("district1")
    assert scoping.check(teacher, "view", s["S1a"])
    assert not scoping.check(teacher, "change", s["S1a"])
    assert scoping.check(principal, "change", s["S1a"])
    assert not scoping.check(principal, "view", s["S1b"])
    assert scoping.check(district1, "change", u["S1b"])
    assert not scoping.check(district1, "view", u["S2"])
    assert not scoping.check(district1, "view", u["P"])  # a district does not see its province
    assert scoping.check(fresh_user("kitchen1a"), "view", world.staff["S1a"])
    assert not scoping.check(fresh_user("parent1a"), "view", world.staff["S1a"])
    assert not scoping.check(AnonymousUser(), "view", s["S1a"])
    assert not scoping.check(fresh_user("admin"), "view", None)
    assert not scoping.check(fresh_user("admin"), "view", OrgUnit(code="unsaved"))


# --- grantable roles -------------------------------------------------------------------------------

SCHOOL_ROLES_BUT_PRINCIPAL = [Role.VICE_PRINCIPAL, Role.TEACHER, Role.HEALTH_STAFF, Role.KITCHEN_STAFF,
                              Role.ACCOUNTANT, Role.PARENT]


@pytest.mark.parametrize(
    ("actor", "unit", "expected"),
    [
        ("principal1a", "S1a", SCHOOL_ROLES_BUT_PRINCIPAL),
        ("principal1a", "S1b", []),
        ("principal1a", "D1", []),
        ("vice1a", "S1a", []),
        ("teacher1a", "S1a", []),
        ("district1", "S1a", [Role.PRINCIPAL, Role.VICE_PRINCIPAL]),
        ("district1", "S1b", [Role.PRINCIPAL, Role.VICE_PRINCIPAL]),
        ("district1", "S2", []),
        ("district1", "C1", [Role.COMMUNE_OFFICER]),
        ("district1", "D1", []),  # not at one's own unit
        ("district1", "C2", []),
        ("commune1", "S1a", []),  # S1a does not hang under C1
        ("province", "D1", [Role.DISTRICT_OFFICER]),
        ("province", "C2", [Role.COMMUNE_OFFICER]),
        ("province", "S2", [Role.PRINCIPAL, Role.VICE_PRINCIPAL]),
        ("province", "P", []),
        ("nobody", "S1a", []),
        ("admin", "S1a", [Role.PRINCIPAL, Role.VICE_PRINCIPAL, *SCHOOL_ROLES_BUT_PRINCIPAL[1:]]),
        ("admin", "D1", [Role.ADMIN, Role.DISTRICT_OFFICER]),
        ("admin", "P", [Role.ADMIN, Role.PROVINCE_OFFICER]),
    ],
)
def test_grantable_roles(world, actor, unit, expected):
    roles = scoping.grantable_roles(fresh_user(actor), world.units[unit])
    assert roles == [r.value for r in expected]
    for role in Role:
        assert scoping.can_grant(fresh_user(actor), world.units[unit], role.value) == (role in expected)


def test_principal_grants_teacher_but_not_principal(world):
    principal = fresh_user("principal1a")
    assert scoping.can_grant(principal, world.units["S1a"], Role.TEACHER)
    assert scoping.can_grant(principal, world.units["S1a"], Role.PARENT)
    assert not scoping.can_grant(principal, world.units["S1a"], Role.PRINCIPAL)
    assert not scoping.can_grant(principal, world.units["S1b"], Role.TEACHER)


# --- sensitive data ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("principal1a", True), ("vice1a", True), ("health1a", True), ("admin", True),
        ("teacher1a", False), ("parent1a", False), ("kitchen1a", False), ("accountant1a", False),
        ("district1", False), ("province", False), ("commune1", False),
        ("principal1b", False), ("principal2", False), ("nobody", False),
    ],
)
def test_can_view_sensitive(world, username, allowed):
    assert scoping.can_view_sensitive(fresh_user(username), world.units["S1a"].pk) is allowed


def test_can_view_sensitive_is_per_school(world):
    assert scoping.can_view_sensitive(fresh_user("principal1b"), world.units["S1b"].pk)
    assert not scoping.can_view_sensitive(fresh_user("principal1a"), world.units["S1b"].pk)
    assert not scoping.can_view_sensitive(AnonymousUser(), world.units["S1a"].pk)


def test_account_and_audit_gates(world):
    managers = {"admin", "province", "district1", "district2", "commune1", "principal1a", "principal1b",
                "principal2"}
    for username in ("admin", "province", "district1", "district2", "commune1", *S1A_ROLES, "principal1b",
                     "principal2", "nobody"):
        user = fresh_user(username)
        assert scoping.can_manage_accounts(user) == (username in managers), username
        assert scoping.can_view_audit(user) == (username in managers), username


# --- query counts ----------------------------------------------------------------------------------


def test_restrict_costs_one_query_for_grants_then_one_per_queryset(world, django_assert_num_queries):
    user = fresh_user("district1")
    with django_assert_num_queries(2):  # the grants, then the filtered rows
        assert unit_codes(OrgUnit.objects.for_user(user)) == {"D1", "C1", "S1a", "S1b"}
    with django_assert_num_queries(1):  # grants are cached on the user object
        assert school_codes(School.objects.for_user(user, "change")) == {"S1a", "S1b"}
    with django_assert_num_queries(1):
        assert member_names(Membership.objects.for_user(user)) == D1_MEMBERS
    with django_assert_num_queries(1):  # the membership subquery is part of the same statement
        assert set(User.objects.for_user(user).values_list("username", flat=True)) == D1_MEMBERS
    with django_assert_num_queries(0):
        qs = OrgUnit.objects.for_user(user)  # building the queryset runs nothing
    with django_assert_num_queries(1):
        list(qs)


def test_forget_drops_the_cached_grants(world, django_assert_num_queries):
    user = fresh_user("nobody")
    assert not OrgUnit.objects.for_user(user).exists()
    Membership.objects.create(user=user, unit=world.units["S2"], role=Role.TEACHER)
    assert not OrgUnit.objects.for_user(user).exists()  # still the cached (empty) grants
    scoping.forget(user)
    with django_assert_num_queries(2):
        assert unit_codes(OrgUnit.objects.for_user(user)) == {"S2"}


def test_superuser_needs_no_grants_query(world, django_assert_num_queries):
    user = fresh_user("admin")
    with django_assert_num_queries(1):
        assert unit_codes(OrgUnit.objects.for_user(user)) == ALL_UNITS
