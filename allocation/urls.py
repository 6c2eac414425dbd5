from django.urls import path

from . import views

app_name = "allocation"

urlpatterns = [
    path("rules/", views.rule_set_list, name="rule_sets"),
    path("rules/<int:year>/", views.rule_set_detail, name="rule_set_detail"),
    path("rules/<int:year>/edit/", views.rule_set_update, name="rule_set_update"),
    path("rules/<int:year>/copy/", views.rule_set_copy, name="rule_set_copy"),
    path("what-if/", views.what_if, name="what_if"),
]
