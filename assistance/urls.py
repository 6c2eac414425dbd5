from django.urls import path

from . import views

app_name = "assistance"

urlpatterns = [
    path("visits/", views.VisitListView.as_view(), name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_update, name="visit_update"),
    path("visits/<int:pk>/files/", views.visit_files_add, name="visit_files_add"),
    path("visit-files/<int:pk>/", views.visit_file_download, name="visit_file"),
    path("visit-files/<int:pk>/delete/", views.visit_file_delete, name="visit_file_delete"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow_up_list"),
    path("follow-ups/<int:pk>/answer/", views.follow_up_answer, name="follow_up_answer"),
    path(
        "follow-ups/<int:pk>/correction/",
        views.follow_up_correction,
        name="follow_up_correction",
    ),
    path("follow-ups/<int:pk>/<slug:step>/", views.follow_up_step, name="follow_up_step"),
    path("draws/", views.DrawListView.as_view(), name="draw_list"),
    path("draws/new/", views.draw_create, name="draw_create"),
    path("draws/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/verify/", views.draw_verify, name="draw_verify"),
    path("draws/<int:pk>/redraw/", views.draw_redraw, name="draw_redraw"),
    path("trainings/", views.TrainingListView.as_view(), name="training_list"),
    path("trainings/new/", views.training_create, name="training_create"),
    path("trainings/<int:pk>/", views.training_detail, name="training_detail"),
    path("trainings/<int:pk>/edit/", views.training_update, name="training_update"),
    path("trainings/<int:pk>/attendance/", views.training_attendance, name="training_attendance"),
    path("trainings/<int:pk>/files/", views.training_files_add, name="training_files_add"),
    path("training-files/<int:pk>/", views.training_file_download, name="training_file"),
    path(
        "training-files/<int:pk>/delete/",
        views.training_file_delete,
        name="training_file_delete",
    ),
    path("progress/", views.progress, name="progress"),
    path("targets/<int:year>/", views.targets_edit, name="targets_edit"),
]
