from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "mamnon.facilities"
    label = "facilities"
    verbose_name = _("Facilities and equipment")
    # Links this app adds to the main navigation: (url name, label, roles or None); see core.context_processors.
    navigation: list = []
