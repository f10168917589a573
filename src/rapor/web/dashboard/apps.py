from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "rapor.web.dashboard"
    label = "dashboard"
    verbose_name = _("Beranda")

    def ready(self) -> None:
        # A broken indicator catalogue stops the app at start-up, naming the file and field.
        from rapor.catalogue import load_catalogue

        load_catalogue()
