from django.urls import path

from . import public_views

app_name = "reviews_public"
urlpatterns = [
    path("", public_views.index, name="index"),
    path("<int:pk>/", public_views.detail, name="detail"),
]
