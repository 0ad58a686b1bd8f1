from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mamnon.core.roles import OFFICER_ROLES, SCHOOL_STAFF_ROLES

_NAV_ROLES = OFFICER_ROLES | SCHOOL_STAFF_ROLES


class FacilitiesConfig(AppConfig):
    name = "mamnon.facilities"
    label = "facilities"
    verbose_name = _("Facilities and equipment")
    # Links this app adds to the main navigation: (url name, label, roles or None); see core.context_processors.
    navigation: list = [("facilities:home", _("Facilities"), _NAV_ROLES)]

    def ready(self):
        from mamnon.facilities import demo, indicators  # noqa: F401  (registers the demo and indicator families)
