from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpConfig(AppConfig):
    name = "rapor.web.help"
    label = "help"
    verbose_name = _("Pusat Bantuan")
