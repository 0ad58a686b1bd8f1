"""Roles a user holds at a unit (Membership.role), and the groups the scoping rules use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    PROVINCE_OFFICER = "province_officer", _("Province officer")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    PRINCIPAL = "principal", _("Principal")
    VICE_PRINCIPAL = "vice_principal", _("Vice-principal")
    TEACHER = "teacher", _("Teacher")
    HEALTH_STAFF = "health_staff", _("Health staff")
    KITCHEN_STAFF = "kitchen_staff", _("Kitchen staff")
    ACCOUNTANT = "accountant", _("Accountant")
    PARENT = "parent", _("Parent")


OFFICER_ROLES = frozenset({Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER})
SCHOOL_MANAGER_ROLES = frozenset({Role.PRINCIPAL, Role.VICE_PRINCIPAL})
SCHOOL_STAFF_ROLES = SCHOOL_MANAGER_ROLES | {
    Role.TEACHER,
    Role.HEALTH_STAFF,
    Role.KITCHEN_STAFF,
    Role.ACCOUNTANT,
}
ALL_ROLES = frozenset(Role)
# Roles that may hold a membership at an office (non-school) unit, and at a school.
OFFICE_ROLES = OFFICER_ROLES | {Role.ADMIN}
SCHOOL_ROLES = SCHOOL_STAFF_ROLES | {Role.PARENT}
