from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "mamnon.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from mamnon.org import demo  # noqa: F401  registers the demo-data generator
