from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "mamnon.health"
    label = "health"
    verbose_name = _("Health and growth")
    # Links this app adds to the main navigation: (url name, label, roles or None); see core.context_processors.
    navigation: list = [("health:rounds", _("Weighing and measuring"), None)]

    def ready(self):
        from mamnon.health import demo, indicators  # noqa: F401  registers the demo data and indicator family
