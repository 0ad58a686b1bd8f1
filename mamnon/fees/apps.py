from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeesConfig(AppConfig):
    name = "mamnon.fees"
    label = "fees"
    verbose_name = _("Fees")
    # Links this app adds to the main navigation: (url name, label, roles or None); see core.context_processors.
    navigation: list = []
