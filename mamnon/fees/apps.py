from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mamnon.core.roles import OFFICER_ROLES, SCHOOL_MANAGER_ROLES, Role


class FeesConfig(AppConfig):
    name = "mamnon.fees"
    label = "fees"
    verbose_name = _("Fees")
    # Links this app adds to the main navigation: (url name, label, roles or None); see core.context_processors.
    navigation: list = [
        ("fees:index", _("Fees"), {Role.ACCOUNTANT, *SCHOOL_MANAGER_ROLES, *OFFICER_ROLES}),
        ("fees:portal", _("Fees and payments"), {Role.PARENT}),
    ]

    def ready(self):
        from mamnon.fees import demo  # noqa: F401  registers the demo-data generator
