from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0006_outbox_and_history_reasons"),
    ]

    operations = [
        migrations.AlterField(
            model_name="offer",
            name="districts",
            field=models.ManyToManyField(
                blank=True,
                help_text="The social areas of the offer's locations count anyway; name others it serves here. Leave empty for citywide offers.",
                related_name="offers",
                to="offers.district",
                verbose_name="social areas served",
            ),
        ),
    ]
