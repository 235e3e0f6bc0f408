from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("apply/", views.apply, name="apply"),
    path("track/", views.track, name="track"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("large-type/", views.large_type, name="large_type"),
    path("cases/<str:tracking_number>/", views.case_detail, name="case"),
    path("cases/<str:tracking_number>/submitted/", views.submitted, name="submitted"),
    path("cases/<str:tracking_number>/supplement/", views.supplement, name="supplement"),
    path("cases/<str:tracking_number>/fee/", views.fee, name="fee"),
    path("cases/<str:tracking_number>/withdraw/", views.withdraw, name="withdraw"),
    path("cases/<str:tracking_number>/documents/<int:pk>/", views.document, name="document"),
    path("cases/<str:tracking_number>/files/<int:pk>/", views.disclosed_file, name="disclosed_file"),
]
