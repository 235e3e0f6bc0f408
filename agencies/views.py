"""Staff pages of the agency itself, kept by its own administrator: its details and seal,
its departments and its people."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from .forms import AgencySettingsForm, DepartmentForm, NewStaffForm, StaffChangeForm
from .roles import ROLE_LABELS
from .selectors import agency_people, user_agency
from .services import AGENCY_SETTINGS, agency_seal_set, agency_update, department_create, staff_create, staff_update

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


def _service_errors(form, exc) -> None:
    for m in getattr(exc, "messages", [str(exc)]):
        form.add_error(None, m)


class AdministratorMixin(LoginRequiredMixin):
    """Pages of one's own agency, for its administrator only."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not may_keep_settings(request.user):
                raise PermissionDenied(ERR_NO_AGENCY)
            self.agency = user_agency(request.user)
        return super().dispatch(request, *args, **kwargs)


class PeopleView(AdministratorMixin, TemplateView):
    """工作人员与部门: the agency's people and departments; adding either."""

    template_name = "agencies/people.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("staff_form", NewStaffForm(agency=self.agency))
        ctx.setdefault("department_form", DepartmentForm(agency=self.agency))
        people = list(agency_people(self.agency))
        for p in people:
            p.role_labels = "、".join(str(ROLE_LABELS.get(g.name, g.name)) for g in p.user.groups.all())
        ctx.update(agency=self.agency, people=people,
                   departments=self.agency.departments.order_by("name"))
        return ctx

    def post(self, request, *args, **kwargs):
        if request.POST.get("form") == "department":
            form = DepartmentForm(request.POST, agency=self.agency)
            if form.is_valid():
                try:
                    department_create(actor=request.user, agency=self.agency, **form.cleaned_data)
                except (ValidationError, PermissionDenied) as exc:
                    _service_errors(form, exc)
                else:
                    messages.success(request, f"已新增部门：{form.cleaned_data['name']}")
                    return HttpResponseRedirect(request.path)
            return self.render_to_response(self.get_context_data(department_form=form))
        form = NewStaffForm(request.POST, agency=self.agency)
        if form.is_valid():
            data = form.cleaned_data
            try:
                staff_create(actor=request.user, username=data["username"], password=data["password"],
                             full_name=data["full_name"], agency=self.agency, department=data["department"],
                             roles=data["roles"], email=data["email"])
            except (ValidationError, PermissionDenied) as exc:
                _service_errors(form, exc)
            else:
                messages.success(request, f"已新增工作人员：{data['full_name']}")
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(staff_form=form))


class StaffChangeView(AdministratorMixin, FormView):
    """One colleague: roles, department, account open or closed (`staff_update`, audited)."""

    template_name = "agencies/staff_change.html"
    form_class = StaffChangeForm

    @cached_property
    def profile(self):
        profile = agency_people(self.agency).filter(user_id=self.kwargs["pk"]).first()
        if profile is None:
            raise Http404("没有找到该工作人员")
        return profile

    def get_form_kwargs(self):
        user = self.profile.user
        return {**super().get_form_kwargs(), "agency": self.agency,
                "initial": {"department": self.profile.department_id, "is_active": user.is_active,
                            "roles": [g.name for g in user.groups.all()]}}

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.profile, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            staff_update(actor=self.request.user, user=self.profile.user, roles=data["roles"],
                         department=data["department"], is_active=data["is_active"])
        except (ValidationError, PermissionDenied) as exc:
            _service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已保存。")
        return HttpResponseRedirect(self.request.path)
