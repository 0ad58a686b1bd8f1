from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mamnon.core.roles import OFFICER_ROLES, SCHOOL_MANAGER_ROLES, Role


class IndicatorsConfig(AppConfig):
    name = "mamnon.indicators"
    label = "indicators"
    verbose_name = _("Targets and indicators")
    # Links this app adds to the main navigation: (url name, label, roles or None); see core.context_processors.
    # Offices and school managers follow targets; others may still open their unit's figures by URL.
    navigation: list = [("indicators:home", _("Targets and indicators"), OFFICER_ROLES | SCHOOL_MANAGER_ROLES
                         | {Role.HEALTH_STAFF})]

    def ready(self):
        from mamnon.indicators import demo, families  # noqa: F401  registers families and the demo
