from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "mamnon.indicators"
    label = "indicators"
    verbose_name = _("Targets and indicators")
    # Links this app adds to the main navigation: (url name, label, roles or None); see core.context_processors.
    navigation: list = [("indicators:home", _("Targets and indicators"), None)]

    def ready(self):
        from mamnon.indicators import demo, families  # noqa: F401  registers families and the demo
