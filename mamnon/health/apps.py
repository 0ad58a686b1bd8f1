from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mamnon.core.roles import OFFICER_ROLES, SCHOOL_MANAGER_ROLES, Role


class HealthConfig(AppConfig):
    name = "mamnon.health"
    label = "health"
    verbose_name = _("Health and growth")
    # Links this app adds to the main navigation: (url name, label, roles or None); see core.context_processors.
    navigation: list = [
        ("health:rounds", _("Weighing and measuring"), None),
        ("health:check-home", _("Health checks"),
         SCHOOL_MANAGER_ROLES | OFFICER_ROLES | {Role.HEALTH_STAFF, Role.TEACHER, Role.PARENT}),
    ]

    def ready(self):
        # register the demo data (rounds, then health checks) and the indicator family
        from mamnon.health import demo, demo_checks, indicators  # noqa: F401
