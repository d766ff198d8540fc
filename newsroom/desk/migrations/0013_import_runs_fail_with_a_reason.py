"""Import runs that fail with a reason: when their worker stopped (killed, out of time or
memory) or the task came again after they had started; and when each run started, so a
run no worker can still be at is recognised."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0012_canonical_url_and_possible_duplicates'),
    ]

    operations = [
        migrations.AddField(
            model_name='importrun',
            name='failure_reason',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='importrun',
            name='started_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='importrun',
            name='status',
            field=models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=10),
        ),
    ]
