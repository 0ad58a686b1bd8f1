from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "mamnon.reporting"
    label = "reporting"
    verbose_name = _("Reports and deadlines")
    # Links this app adds to the main navigation: (url name, label, roles or None); see core.context_processors.
    navigation: list = []
