"""The core schema, once 0004 has filled what it needs: keys required and unique, the
targets on their own tables, the import source off the plan row, the new roles enforced."""

import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0004_core_data'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='workplan',
            name='workplan_unique_source',
        ),
        migrations.RemoveField(
            model_name='historicalworkplan',
            name='import_warnings',
        ),
        migrations.RemoveField(
            model_name='historicalworkplan',
            name='source_name',
        ),
        migrations.RemoveField(
            model_name='historicalworkplan',
            name='source_sha256',
        ),
        migrations.RemoveField(
            model_name='historicalworkplan',
            name='source_text',
        ),
        migrations.RemoveField(
            model_name='workplan',
            name='import_warnings',
        ),
        migrations.RemoveField(
            model_name='workplan',
            name='source_name',
        ),
        migrations.RemoveField(
            model_name='workplan',
            name='source_sha256',
        ),
        migrations.RemoveField(
            model_name='workplan',
            name='source_text',
        ),
        migrations.AlterField(
            model_name='historicalproject',
            name='key',
            field=models.UUIDField(default=uuid.uuid4, editable=False, verbose_name='key'),
        ),
        migrations.AlterField(
            model_name='historicalscheduleentry',
            name='key',
            field=models.UUIDField(default=uuid.uuid4, editable=False, verbose_name='key'),
        ),
        migrations.AlterField(
            model_name='historicalsection',
            name='key',
            field=models.UUIDField(default=uuid.uuid4, editable=False, verbose_name='key'),
        ),
        migrations.AlterField(
            model_name='historicaltask',
            name='key',
            field=models.UUIDField(default=uuid.uuid4, editable=False, verbose_name='key'),
        ),
        migrations.AlterField(
            model_name='project',
            name='key',
            field=models.UUIDField(default=uuid.uuid4, editable=False, verbose_name='key'),
        ),
        # An M2M field cannot change its through table in place: the old table goes (0004
        # copied its rows) and the field comes back on the explicit one.
        migrations.RemoveField(model_name='scheduleentry', name='counties'),
        migrations.AddField(
            model_name='scheduleentry',
            name='counties',
            field=models.ManyToManyField(blank=True, related_name='schedule_entries', through='plans.EntryTarget', to='plans.county', verbose_name='target counties'),
        ),
        migrations.AlterField(
            model_name='scheduleentry',
            name='key',
            field=models.UUIDField(default=uuid.uuid4, editable=False, verbose_name='key'),
        ),
        migrations.AlterField(
            model_name='section',
            name='key',
            field=models.UUIDField(default=uuid.uuid4, editable=False, verbose_name='key'),
        ),
        # An M2M field cannot change its through table in place: the old table goes (0004
        # copied its rows) and the field comes back on the explicit one.
        migrations.RemoveField(model_name='task', name='counties'),
        migrations.AddField(
            model_name='task',
            name='counties',
            field=models.ManyToManyField(blank=True, related_name='tasks', through='plans.TaskTarget', to='plans.county', verbose_name='target counties'),
        ),
        migrations.AlterField(
            model_name='task',
            name='key',
            field=models.UUIDField(default=uuid.uuid4, editable=False, verbose_name='key'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(('role__in', ['editor', 'reviewer', 'viewer', 'county'])), name='membership_role_valid'),
        ),
        migrations.AddConstraint(
            model_name='project',
            constraint=models.UniqueConstraint(fields=('plan', 'key'), name='project_unique_key'),
        ),
        migrations.AddConstraint(
            model_name='scheduleentry',
            constraint=models.UniqueConstraint(fields=('plan', 'key'), name='schedule_unique_key'),
        ),
        migrations.AddConstraint(
            model_name='section',
            constraint=models.UniqueConstraint(fields=('plan', 'key'), name='section_unique_key'),
        ),
        migrations.AddConstraint(
            model_name='task',
            constraint=models.UniqueConstraint(fields=('plan', 'key'), name='task_unique_key'),
        ),
        migrations.AddConstraint(
            model_name='workplan',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'archived'), _negated=True), ('archived_at__isnull', False), _connector='OR'), name='workplan_archived_has_date'),
        ),
    ]
