"""The case search (案件查询): one filter set over the cases a person may see, used by
the search page and its spreadsheet export alike (so the export holds exactly the
rows the page finds)."""
from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from agencies import roles
from agencies.models import Department
from agencies.selectors import scope_to_user, user_agency

from .models import DisclosureRequest, RequestItem, RequestStatus

DATE = {"type": "date"}
ERR_DATE = "请按“年-月-日”填写日期，例如 2026-12-02。"


class DateRange(django_filters.widgets.RangeWidget):
    suffixes = ["after", "before"]

    def __init__(self):
        super().__init__(attrs=DATE)


class CaseSearchFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(label="登记号或查询号", method="filter_number")
    applicant = django_filters.CharFilter(label="申请人", field_name="applicant_name", lookup_expr="icontains")
    item = django_filters.CharFilter(label="申请的信息名称", method="filter_item")
    status = django_filters.MultipleChoiceFilter(label="状态", choices=RequestStatus.choices,
                                                 widget=forms.SelectMultiple(attrs={"size": 4}))
    department = django_filters.ModelChoiceFilter(label="承办部门", queryset=Department.objects.none(),
                                                  empty_label="全部部门")
    handler = django_filters.ModelChoiceFilter(label="承办人", queryset=get_user_model().objects.none(),
                                               empty_label="全部承办人")
    received = django_filters.DateFromToRangeFilter(label="收到申请日期（起止）", field_name="received_on",
                                                    widget=DateRange())
    answered = django_filters.DateFromToRangeFilter(label="答复日期（起止）", field_name="issued_on", widget=DateRange())
    order = django_filters.OrderingFilter(
        label="排序", empty_label="最近收到的在前",
        fields=(("clock__due_date", "due"), ("submitted_at", "submitted"), ("registration_number", "number")),
        field_labels={"clock__due_date": "答复期限", "submitted_at": "提交时间", "registration_number": "登记号"})

    class Meta:
        model = DisclosureRequest
        fields: list[str] = []

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        agency = user_agency(user)
        fields = self.form.fields
        fields["department"].queryset = scope_to_user(Department.objects.filter(agency=agency), user,
                                                      agency_field="agency", department_field="pk").order_by("name")
        people = (get_user_model()._default_manager.filter(staff_profile__agency=agency, groups__name=roles.HANDLER)
                  .select_related("staff_profile__department").order_by("staff_profile__department__name", "username")
                  .distinct())
        fields["handler"].queryset = scope_to_user(people, user, agency_field="staff_profile__agency",
                                                   department_field="staff_profile__department")
        fields["handler"].label_from_instance = (
            lambda u: f"{u.get_full_name() or u.username}（{u.staff_profile.department or '未分部门'}）")
        fields["order"].choices = [("", "最近收到的在前"), ("due", "答复期限最近的在前"), ("-due", "答复期限最远的在前"),
                                   ("submitted", "最早提交的在前"), ("number", "登记号顺序")]
        for name in ("received", "answered"):
            for part in fields[name].fields:
                part.error_messages["invalid"] = ERR_DATE
            # each of the two date boxes is announced on its own (the label names the pair)
            start, end = fields[name].widget.widgets
            label = fields[name].label.removesuffix("（起止）")
            start.attrs = {**start.attrs, "aria-label": f"{label}（起）"}
            end.attrs = {**end.attrs, "aria-label": f"{label}（止）"}

    def filter_number(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(registration_number__icontains=value) | Q(tracking_number__iexact=value)) if value else qs

    def filter_item(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        # a subquery, not a join: a case with two matching items is one row
        return qs.filter(pk__in=RequestItem.objects.filter(title__icontains=value).values("request_id"))
