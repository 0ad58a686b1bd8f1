from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mamnon.core.roles import OFFICER_ROLES, SCHOOL_MANAGER_ROLES


class StaffConfig(AppConfig):
    name = "mamnon.staff"
    label = "staff"
    verbose_name = _("Staff")
    # Links this app adds to the main navigation: (url name, label, roles or None); see core.context_processors.
    navigation: list = [
        ("staff:staff-list", _("Staff records"), set(OFFICER_ROLES | SCHOOL_MANAGER_ROLES)),
        ("staff:norms", _("Teacher norms"), set(OFFICER_ROLES | SCHOOL_MANAGER_ROLES)),
    ]

    def ready(self):
        from mamnon.staff import demo, indicators  # noqa: F401  registers the demo generator and indicator families
