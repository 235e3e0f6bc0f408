"""The agency administrator's page of API keys in the staff UI (机关管理 › 接口密钥)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.views.generic import FormView
from viewflow.urls import Application, AppMenuMixin, Viewset

from agencies.views import AdministratorMixin, may_keep_settings

from .forms import ApiKeyForm
from .selectors import agency_api_keys
from .services import api_key_grants, api_key_issue, api_key_revoke


class ApiKeysView(AdministratorMixin, FormView):
    """The agency's keys with their scope and last use; issuing one shows its secret once."""

    template_name = "api/keys.html"
    form_class = ApiKeyForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agency": self.agency}

    def get_context_data(self, **kwargs):
        keys = list(agency_api_keys(self.agency).select_related("account__staff_profile__department"))
        for key in keys:
            key.grants = api_key_grants(key)
        return super().get_context_data(agency=self.agency, keys=keys, **kwargs)

    def form_valid(self, form):
        try:
            key, secret = api_key_issue(actor=self.request.user, agency=self.agency, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            for m in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, m)
            return self.form_invalid(form)
        # Shown on this answer only: the secret is not stored and cannot be shown again.
        return self.render_to_response(self.get_context_data(form=ApiKeyForm(agency=self.agency), new_key=key, secret=secret))


class ApiKeyRevokeView(AdministratorMixin, FormView):
    form_class = ApiKeyForm
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        key = agency_api_keys(self.agency).filter(pk=kwargs["pk"]).first()
        if key is None:
            raise Http404("没有找到该接口密钥")
        try:
            api_key_revoke(actor=request.user, key=key)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已吊销接口密钥：{key.name}（{key.prefix}）")
        return HttpResponseRedirect(reverse("apikeys:api_keys:index"))


class ApiKeysViewset(AppMenuMixin, Viewset):
    title = "接口密钥"
    icon = "vpn_key"
    index_path = path("", ApiKeysView.as_view(), name="index")
    revoke_path = path("<int:pk>/revoke/", ApiKeyRevokeView.as_view(), name="revoke")

    def has_view_permission(self, user, obj=None):
        return may_keep_settings(user)


class ApiKeysApp(Application):
    title = "系统对接"
    icon = "vpn_key"
    app_name = "apikeys"
    menu_position = 101  # after 机关管理: only administrators may open it
    viewsets = [ApiKeysViewset()]

    def has_view_permission(self, user, obj=None):
        return may_keep_settings(user)


def staff_apps():
    return [ApiKeysApp()]
