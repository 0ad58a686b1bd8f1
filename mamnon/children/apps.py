from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildrenConfig(AppConfig):
    name = "mamnon.children"
    label = "children"
    verbose_name = _("Children")

    def ready(self):
        from mamnon.children import demo  # noqa: F401  registers the demo-data generator
