from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mamnon.core import scoping
from mamnon.core.roles import OFFICER_ROLES, SCHOOL_MANAGER_ROLES, SCHOOL_STAFF_ROLES, Role

STAFF_AND_OFFICES = SCHOOL_STAFF_ROLES | OFFICER_ROLES
CARERS = SCHOOL_MANAGER_ROLES | {Role.TEACHER, Role.HEALTH_STAFF}

# (url name, label, roles that see the link; None: every logged-in user). Admins see every link.
NAVIGATION = [
    ("home", _("Home"), None),
    ("portal:home", _("My child"), {Role.PARENT}),
    ("attendance:day-groups", _("Attendance"), STAFF_AND_OFFICES),
    ("attendance:handover-groups", _("Handover"), CARERS),
    ("children:group-list", _("Groups"), STAFF_AND_OFFICES),
    ("children:child-search", _("Children"), STAFF_AND_OFFICES),
    ("attendance:meals", _("Meals"), SCHOOL_MANAGER_ROLES | {Role.KITCHEN_STAFF} | OFFICER_ROLES),
    ("attendance:incident-list", _("Incidents"), STAFF_AND_OFFICES),
    ("children:roster-home", _("Rosters"), SCHOOL_MANAGER_ROLES | OFFICER_ROLES),
    ("attendance:calendar", _("Calendar"), SCHOOL_MANAGER_ROLES | OFFICER_ROLES),
    ("org:unit-list", _("Units"), STAFF_AND_OFFICES),
    ("org:school-list", _("Schools"), STAFF_AND_OFFICES),
    ("org:staff-list", _("Staff"), SCHOOL_MANAGER_ROLES | OFFICER_ROLES),
    ("org:account-list", _("Accounts"), scoping.ACCOUNT_MANAGER_ROLES),
    ("audit-log", _("Change log"), scoping.DEFAULT_MANAGE_ROLES),
    ("api-docs", "API", STAFF_AND_OFFICES),
]


def navigation_entries() -> list:
    """The core links, with each app's own (its AppConfig's ``navigation``) before "Units"."""
    from django.apps import apps

    extra = [entry for config in apps.get_app_configs() for entry in getattr(config, "navigation", ())]
    at = next(i for i, entry in enumerate(NAVIGATION) if entry[0] == "org:unit-list")
    return NAVIGATION[:at] + extra + NAVIGATION[at:]


def navigation(request):
    """The links of the main navigation, chosen by the user's roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = scoping.roles_of(user)
    admin = scoping.is_admin(user)
    links = [
        (reverse(name), label)
        for name, label, allowed in navigation_entries()
        if admin or allowed is None or roles & set(allowed)
    ]
    return {"nav_links": links, "nav_roles": sorted(roles), "nav_is_admin": admin}
