from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "mamnon.staff"
    label = "staff"
    verbose_name = _("Staff")
    # Links this app adds to the main navigation: (url name, label, roles or None); see core.context_processors.
    navigation: list = []
