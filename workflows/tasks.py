"""Background work of the application workflow. Tasks hold no logic of their own."""
from celery import shared_task


@shared_task(name="workflows.tasks.workflow_fire_due_timers")
def workflow_fire_due_timers() -> int:
    """Fire the due statutory timers (supplement and fee deadlines → the case lapses).
    Same as `manage.py workflow_timers`; scheduled every minute by Celery beat."""
    from viewflow.workflow.timers import fire_due_timers

    return fire_due_timers()
