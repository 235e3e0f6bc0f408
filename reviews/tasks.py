from celery import shared_task


@shared_task
def publications_publish_due() -> int:
    from .flows import publications_publish_due as publish

    return publish()
