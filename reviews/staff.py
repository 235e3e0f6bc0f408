from django.urls import path
from viewflow.urls import AppMenuMixin, Viewset
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow.views import FlowQueueListView

from agencies.selectors import staff_profile

from .flows import PublicationFlow
from .views import (
    CatalogueView,
    DeidentifyView,
    PublicationCreateView,
    PublicationDetailView,
    PublicationListView,
    PublicationUpdateView,
    SensitiveWordsView,
)


class PublicationsViewset(AppMenuMixin, Viewset):
    title = "公开信息"
    icon = "article"
    turbo_disabled = True
    index_path = path("", PublicationListView.as_view(), name="index")
    add_path = path("new/", PublicationCreateView.as_view(), name="add")
    detail_path = path("<int:pk>/", PublicationDetailView.as_view(), name="detail")
    change_path = path("<int:pk>/edit/", PublicationUpdateView.as_view(), name="change")


class CatalogueViewset(AppMenuMixin, Viewset):
    title = "标准目录"
    icon = "list_alt"
    turbo_disabled = True
    index_path = path("", CatalogueView.as_view(), name="index")


class SensitiveWordsViewset(AppMenuMixin, Viewset):
    title = "敏感词"
    icon = "report"
    turbo_disabled = True
    index_path = path("", SensitiveWordsView.as_view(), name="index")


class DeidentifyViewset(AppMenuMixin, Viewset):
    title = "去标识化"
    icon = "visibility_off"
    turbo_disabled = True
    index_path = path("", DeidentifyView.as_view(), name="index")


def _agency_tasks(tasks, user):
    """Viewflow's queue checks model permissions only (upstream #505): keep to one agency."""
    if user.is_superuser:
        return tasks
    profile = staff_profile(user)
    if profile is None:
        return tasks.none()
    return tasks.filter(process__publicationprocess__publication__agency=profile.agency_id)


ROW_RELATIONS = ("owner", "process__publicationprocess__publication__clock")  # what each row's summary reads


class AgencyQueueView(FlowQueueListView):
    def get_queryset(self):
        return _agency_tasks(super().get_queryset(), self.request.user).select_related(*ROW_RELATIONS)


class PublicationApp(FlowAppViewset):
    queue_view_class = AgencyQueueView

    def get_context_data(self, request):
        ctx = super().get_context_data(request)  # the menu badge counts
        ctx["user_queue"] = _agency_tasks(ctx["user_queue"], request.user)
        return ctx


def staff_apps():
    return [PublicationApp(PublicationFlow, icon="publish", title="主动公开",
                           viewsets=[PublicationsViewset(), CatalogueViewset(), SensitiveWordsViewset(), DeidentifyViewset()])]
