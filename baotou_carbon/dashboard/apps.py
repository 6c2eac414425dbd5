from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The top floor: home pages, dashboards and everything that reads across the apps."""

    name = "baotou_carbon.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")
