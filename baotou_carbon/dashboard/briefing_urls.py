"""The leadership briefings, mounted under /dashboard/briefings/."""

from django.urls import path

from . import briefings

app_name = "briefings"

urlpatterns = [
    path("", briefings.briefing_list, name="list"),
    path("new/", briefings.briefing_create, name="create"),
    path("<int:pk>/", briefings.briefing_detail, name="detail"),
    path("<int:pk>/pdf/", briefings.briefing_download, name="download"),
]
