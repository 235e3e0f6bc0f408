"""Staff pages of the agency itself: its details and seal, kept by its own administrator."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.views.generic import FormView

from .forms import AgencySettingsForm
from .selectors import user_agency
from .services import AGENCY_SETTINGS, agency_seal_set, agency_update

ERR_NO_AGENCY = "您的账号不属于任何机关，或没有维护本机关设置的权限。"


def may_keep_settings(user) -> bool:
    return user.has_perm("agencies.change_agency") and user_agency(user) is not None


class AgencySettingsView(LoginRequiredMixin, FormView):
    """本机关设置: contact details, the remedy bodies and the seal of one's own agency."""

    template_name = "agencies/settings.html"
    form_class = AgencySettingsForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_keep_settings(request.user):
            raise PermissionDenied(ERR_NO_AGENCY)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": user_agency(self.request.user)}

    def form_valid(self, form):
        agency, user = form.instance, self.request.user
        data = form.cleaned_data
        try:
            agency_update(actor=user, agency=agency, **{f: data[f] for f in AGENCY_SETTINGS})
            if data.get("seal_upload"):
                agency_seal_set(actor=user, agency=agency, data=data["seal_upload"])
            elif data.get("seal_remove"):
                agency_seal_set(actor=user, agency=agency, data=None)
        except ValidationError as exc:
            for m in exc.messages:
                form.add_error(None, m)
            return self.form_invalid(form)
        messages.success(self.request, "本机关设置已保存。")
        return HttpResponseRedirect(self.request.path)
