from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from accounts.password_reset import StaffAuthViewset

from .staff import site

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/accounts/otp/", include("accounts.urls")),
    path("staff/accounts/", StaffAuthViewset(with_profile_view=False).urls),
    path("staff/", site.urls),
    path("api/", include("config.api")),
    path("i18n/", include("django.conf.urls.i18n")),
    # viewflow's list script asks this catalogue for its words (e.g. how many rows are selected)
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("gk/", include("reviews.urls")),
    path("captcha/", include("captcha.urls")),
    path("", include("portal.urls")),
]
