"""Each notice records how it was sent and when it was received (periods run from receipt).
Notices sent before this change counted their periods from the sending day: they are
marked as sent through the portal, whose rule gives the same day."""

from django.db import migrations, models

METHODS = [("direct", "直接送达"), ("post", "邮政寄送"), ("via_agency", "委托其他机关送达"), ("email", "电子邮件"),
           ("online", "网上送达")]


def fields(model):
    return [
        migrations.AddField(model_name=model, name="sent_via", preserve_default=False,
                            field=models.CharField(choices=METHODS, default="online", max_length=20,
                                                   verbose_name="送达方式")),
        migrations.AddField(model_name=model, name="receipt_on",
                            field=models.DateField(blank=True, null=True, verbose_name="签收日期")),
        migrations.AddField(model_name=model, name="receipt_proof",
                            field=models.CharField(blank=True, max_length=200, verbose_name="签收凭证")),
    ]


class Migration(migrations.Migration):
    dependencies = [("workflows", "0003_volume_inquiry")]

    operations = [op for model in ("supplement", "thirdpartyconsultation", "otheragencyconsultation", "feenotice")
                  for op in fields(model)]
