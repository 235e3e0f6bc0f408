"""Object-level access for viewflow's own screens, shared by both processes.

viewflow checks only model-level permissions (upstream #505): its process pages, task
pages and charts answer for any process id, and its built-in task actions (cancel, undo,
revive, unassign, process cancel, re-running a gate) check `has_manage_permission(user)`
without the object and change tasks directly, beside our services, the legal status and
the audit record. Here:

- `ServicesOnlyFlow`: nobody manages a process through those actions (they answer 403);
  every change is a step service (reassignment, withdrawal, closure…).
- `guard_object_urls`: every URL of a flow viewset that names a process (and a task)
  (its page, chart, cancel page, every task page) is checked against the flow's
  `has_view_permission(user, process)` before the view runs; a task id must belong to
  the process named in the same URL.
"""
from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import URLPattern, URLResolver

ERR_NOT_FOUND = "没有找到该办理流程或任务。"


class ServicesOnlyFlow:
    """Mixed into a `flow.Flow`: viewflow's management actions are closed (see module)."""

    def has_manage_permission(self, user, obj=None) -> bool:
        return False


def _guarded(view, flow_class):
    def guarded(request, *args, **kwargs):
        process_pk = kwargs.get("process_pk")
        if process_pk is not None:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            flow = flow_class.instance
            process = flow.process_class._default_manager.filter(pk=process_pk, flow_class=flow_class).first()
            if process is None or not flow.has_view_permission(request.user, obj=process):
                raise Http404(ERR_NOT_FOUND)
            task_pk = kwargs.get("task_pk")
            if task_pk is not None and not flow.task_class._default_manager.filter(
                    pk=task_pk, process_id=process.pk).exists():
                raise Http404(ERR_NOT_FOUND)
        return view(request, *args, **kwargs)

    guarded.ogi_object_guard = True
    guarded.__name__ = getattr(view, "__name__", "view")
    guarded.__doc__ = getattr(view, "__doc__", None)
    for attr in ("view_class", "view_initkwargs", "csrf_exempt"):
        if hasattr(view, attr):
            setattr(guarded, attr, getattr(view, attr))
    return guarded


def guard_object_urls(patterns: list, flow_class) -> list:
    """Wrap, in place, every view under `patterns` whose URL names a process."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            guard_object_urls(entry.url_patterns, flow_class)
        elif isinstance(entry, URLPattern) and "process_pk" in str(entry.pattern) \
                and not getattr(entry.callback, "ogi_object_guard", False):
            entry.callback = _guarded(entry.callback, flow_class)
    return patterns
