from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("import/", views.import_page, name="import"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_update, name="update"),
    path("<int:pk>/contacts/", views.enterprise_contacts, name="contacts"),
    path("<int:pk>/api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("<int:pk>/listings/new/", views.listing_create, name="listing_create"),
    path("listings/<int:pk>/delete/", views.listing_delete, name="listing_delete"),
    path("<int:pk>/facilities/new/", views.facility_create, name="facility_create"),
    path("facilities/<int:pk>/edit/", views.facility_update, name="facility_update"),
    path("facilities/<int:pk>/units/new/", views.unit_create, name="unit_create"),
    path("units/", views.UnitListView.as_view(), name="unit_list"),
    path("units/<int:pk>/edit/", views.unit_update, name="unit_update"),
    path("agencies/", views.AgencyListView.as_view(), name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/edit/", views.agency_update, name="agency_update"),
]
