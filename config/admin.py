"""The Django admin is the platform administrators' tool (superusers of the whole
installation). Agency staff are never `is_staff`; and even a flag set by hand opens
nothing here: the admin shows every agency's records (its court, printed in every
remedy sentence; every agency's audit events), so only a superuser may enter."""
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class PlatformAdminSite(admin.AdminSite):
    site_header = "政府信息公开办理系统 · 平台管理"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class PlatformAdminConfig(AdminConfig):
    default_site = "config.admin.PlatformAdminSite"
