from django.urls import path

from . import views

app_name = "verification"

urlpatterns = [
    path("calculator/", views.calculator, name="calculator"),
    path("parameters/", views.ParameterListView.as_view(), name="parameters"),
    path("parameters/new/", views.parameter_create, name="parameter_create"),
    path("parameters/<int:pk>/edit/", views.parameter_update, name="parameter_update"),
    path("calendar/", views.HolidayListView.as_view(), name="holidays"),
    path("calendar/new/", views.holiday_create, name="holiday_create"),
    path("calendar/<int:pk>/edit/", views.holiday_update, name="holiday_update"),
    path("calendar/<int:pk>/delete/", views.holiday_delete, name="holiday_delete"),
    path("deadlines/", views.deadline_settings, name="deadlines"),
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("templates/<int:pk>/edit/", views.template_update, name="template_update"),
    path("templates/<int:pk>/items/new/", views.template_item_create, name="template_item_create"),
    path("template-items/<int:pk>/edit/", views.template_item_update, name="template_item_update"),
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_update, name="case_update"),
    path("cases/<int:pk>/agency/", views.case_agency_reassign, name="case_agency"),
    path("cases/<int:pk>/transition/", views.case_transition, name="case_transition"),
    path("cases/<int:pk>/findings/new/", views.finding_create, name="finding_create"),
    path("cases/<int:pk>/gain/new/", views.gain_create, name="gain_create"),
    path("cases/<int:pk>/objection/", views.objection_lodge, name="objection_lodge"),
    path("cases/<int:pk>/re-review/", views.re_review_decide, name="re_review"),
    path("checklist/<int:pk>/edit/", views.checklist_item_update, name="checklist_item_update"),
    path("findings/<int:pk>/edit/", views.finding_update, name="finding_update"),
    path("findings/<int:pk>/answer/", views.finding_answer, name="finding_answer"),
    path("gain/<int:pk>/delete/", views.gain_delete, name="gain_delete"),
    path("scorecards/", views.scorecards, name="scorecards"),
]

urlpatterns += [
    path("evidence/", views.evidence_board, name="evidence_board"),
    path(
        "evidence/<int:pk>/<int:year>/<int:month>/",
        views.evidence_month,
        name="evidence_month",
    ),
    path("evidence/submissions/<int:pk>/", views.evidence_detail, name="evidence_detail"),
    path("evidence/submissions/<int:pk>/review/", views.evidence_review, name="evidence_review"),
    path("evidence/files/<int:pk>/", views.evidence_file, name="evidence_file"),
]

urlpatterns += [
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/units/<int:unit_pk>/", views.report_unit_edit, name="report_unit"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("reports/<int:pk>/revise/", views.report_revise, name="report_revise"),
    path("reports/<int:pk>/compare/", views.report_compare, name="report_compare"),
]
