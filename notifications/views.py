"""Staff in-app notices: the messages addressed to me, newest first; mark as read."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views.generic import ListView

from .models import Message
from .services import notice_mark_read


class NoticeListView(LoginRequiredMixin, ListView):
    template_name = "notifications/notices.html"
    paginate_by = 50

    def get_queryset(self):
        return Message.objects.filter(to_user=self.request.user, channel=Message.INAPP).order_by("-created_at", "-id")

    def post(self, request, *args, **kwargs):
        ids = request.POST.getlist("read") if "read" in request.POST else list(
            self.get_queryset().filter(read_at__isnull=True).values_list("pk", flat=True))
        for pk in ids:
            notice_mark_read(user=request.user, message_id=int(pk))
        return redirect(request.path)
