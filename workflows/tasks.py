"""Background work of the application process. Tasks take ids and call services."""
from celery import shared_task


@shared_task(name="workflows.tasks.workflow_fire_due_timers")
def workflow_fire_due_timers() -> int:
    """Fire the due statutory timers (supplement and fee deadlines → the case lapses).
    Same as `manage.py workflow_timers`; scheduled every minute by Celery beat."""
    from viewflow.workflow.timers import fire_due_timers

    return fire_due_timers()


@shared_task(name="workflows.tasks.reminders_sweep")
def reminders_sweep() -> dict:
    """Deadline reminders (workflows.reminders); hourly from Celery beat."""
    from .reminders import reminders_sweep as sweep

    return sweep()
