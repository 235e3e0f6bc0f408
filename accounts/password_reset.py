"""Password reset by e-mail, through the outbox: the reset page answers at once and the
mail goes out after commit like every other message (Django's own form sends inside the
request, where a mail server that does not answer would hang the page)."""
from __future__ import annotations

import uuid

from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.template import loader
from viewflow.contrib.auth import AuthViewset

from notifications.models import Message
from notifications.services import message_enqueue


class OutboxPasswordResetForm(PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        with transaction.atomic():
            message_enqueue(key=f"password-reset:{uuid.uuid4().hex}", channel=Message.EMAIL, to_address=to_email,
                            to_user=context.get("user"), subject=subject, body=body)


class StaffAuthViewset(AuthViewset):
    def get_pass_reset_view_kwargs(self, **kwargs):
        return {**kwargs, "form_class": OutboxPasswordResetForm}
