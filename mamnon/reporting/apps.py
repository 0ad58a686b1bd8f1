from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mamnon.core.roles import OFFICER_ROLES, SCHOOL_MANAGER_ROLES, SCHOOL_STAFF_ROLES


class ReportingConfig(AppConfig):
    name = "mamnon.reporting"
    label = "reporting"
    verbose_name = _("Reports and deadlines")
    # Links this app adds to the main navigation: (url name, label, roles or None); see core.context_processors.
    navigation: list = [
        ("reporting:inbox", _("Reports"), OFFICER_ROLES | SCHOOL_MANAGER_ROLES),
        ("reporting:calendar", _("Monthly plan"), OFFICER_ROLES | SCHOOL_STAFF_ROLES),
        ("reporting:programme-list", _("Programmes"), OFFICER_ROLES | SCHOOL_MANAGER_ROLES),
        ("reporting:library", _("Library"), OFFICER_ROLES | SCHOOL_STAFF_ROLES),
    ]

    def ready(self):
        from mamnon.reporting import demo  # noqa: F401  (registers the demo generator)
