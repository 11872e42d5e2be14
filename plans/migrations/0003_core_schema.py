"""The core schema, step 1: roles per office, lifecycle and revisions, history, explicit
targets and the plan → county index. Keys are nullable until 0004 gives every row its own."""

import django.db.models.deletion
import django.utils.timezone
import plans.models
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0002_load_divisions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EntryTarget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ],
            options={
                'verbose_name': 'schedule entry target',
                'verbose_name_plural': 'schedule entry targets',
            },
        ),
        migrations.CreateModel(
            name='HistoricalEntryTarget',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical schedule entry target',
                'verbose_name_plural': 'historical schedule entry targets',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalMembership',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('role', models.CharField(choices=[('editor', 'Editor'), ('reviewer', 'Reviewer'), ('viewer', 'Viewer'), ('county', 'County office')], max_length=16, verbose_name='role')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical membership',
                'verbose_name_plural': 'historical memberships',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalProject',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('key', models.UUIDField(editable=False, null=True, verbose_name='key')),
                ('number', models.PositiveIntegerField(verbose_name='number')),
                ('label', models.CharField(blank=True, max_length=32, verbose_name='label as written')),
                ('heading', models.TextField(blank=True, verbose_name='heading as written')),
                ('name', models.TextField(verbose_name='name')),
                ('goal', models.TextField(blank=True, verbose_name='multi-year goal')),
                ('annual_target', models.TextField(blank=True, verbose_name='target for the plan year')),
                ('text', models.TextField(blank=True, verbose_name='full text')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical project',
                'verbose_name_plural': 'historical projects',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalScheduleEntry',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('key', models.UUIDField(editable=False, null=True, verbose_name='key')),
                ('position', models.PositiveIntegerField(verbose_name='position')),
                ('period', models.CharField(max_length=64, verbose_name='period as written')),
                ('start_month', models.PositiveSmallIntegerField(verbose_name='start month')),
                ('end_month', models.PositiveSmallIntegerField(verbose_name='end month')),
                ('months', models.PositiveSmallIntegerField(verbose_name='months')),
                ('granularity', models.CharField(choices=[('ten_day', 'Ten-day period'), ('month', 'Month'), ('quarter', 'Quarter'), ('half_year', 'Half year'), ('year', 'Year')], max_length=16, verbose_name='granularity')),
                ('deadline_day', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='deadline day')),
                ('text', models.TextField(verbose_name='text')),
                ('lead_unit', models.TextField(blank=True, verbose_name='lead unit')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical schedule entry',
                'verbose_name_plural': 'historical schedule entries',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSection',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('key', models.UUIDField(editable=False, null=True, verbose_name='key')),
                ('position', models.PositiveIntegerField(verbose_name='position')),
                ('level', models.PositiveSmallIntegerField(verbose_name='level')),
                ('label', models.CharField(blank=True, max_length=16, verbose_name='label')),
                ('heading', models.TextField(verbose_name='heading')),
                ('text', models.TextField(blank=True, verbose_name='text')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical section',
                'verbose_name_plural': 'historical sections',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalTask',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('key', models.UUIDField(editable=False, null=True, verbose_name='key')),
                ('number', models.PositiveIntegerField(verbose_name='number')),
                ('label', models.CharField(blank=True, max_length=32, verbose_name='label as written')),
                ('title', models.TextField(verbose_name='title')),
                ('text', models.TextField(verbose_name='full text')),
                ('lead_unit', models.TextField(blank=True, verbose_name='lead unit')),
                ('addresses_all_counties', models.BooleanField(default=False, verbose_name='addressed to all counties')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical task',
                'verbose_name_plural': 'historical tasks',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalTaskTarget',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical task target',
                'verbose_name_plural': 'historical task targets',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalWorkPlan',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('title', models.TextField(verbose_name='title')),
                ('notice_title', models.TextField(blank=True, verbose_name='notice title')),
                ('doc_number', models.CharField(blank=True, max_length=64, verbose_name='document number')),
                ('issue_date', models.DateField(blank=True, null=True, verbose_name='issue date')),
                ('plan_year', models.PositiveSmallIntegerField(verbose_name='plan year')),
                ('recipients', models.JSONField(blank=True, default=list, verbose_name='recipients')),
                ('cc', models.JSONField(blank=True, default=list, verbose_name='copied to')),
                ('notice_text', models.TextField(blank=True, verbose_name='notice text')),
                ('preamble', models.TextField(blank=True, verbose_name='preamble')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('imprint', models.TextField(blank=True, verbose_name='imprint')),
                ('projects_first', models.BooleanField(default=False, help_text='The notice lists its projects before its sections and tasks.', verbose_name='projects before the work points')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('in_review', 'In review'), ('published', 'Published'), ('archived', 'Archived')], default='draft', max_length=16, verbose_name='status')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                ('revision', models.PositiveSmallIntegerField(default=0, verbose_name='revision')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published at')),
                ('archived_at', models.DateTimeField(blank=True, null=True, verbose_name='archived at')),
                ('source_name', models.CharField(blank=True, max_length=255, verbose_name='source file')),
                ('source_text', models.TextField(blank=True, verbose_name='original text')),
                ('source_sha256', models.CharField(blank=True, max_length=64, verbose_name='source checksum')),
                ('import_warnings', models.JSONField(blank=True, default=list, verbose_name='import warnings')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical work plan',
                'verbose_name_plural': 'historical work plans',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='OfficeAlias',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=128, unique=True, verbose_name='alias')),
            ],
            options={
                'verbose_name': 'office alias',
                'verbose_name_plural': 'office aliases',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='PlanCounty',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ],
            options={
                'verbose_name': 'plan county',
                'verbose_name_plural': 'plan counties',
            },
        ),
        migrations.CreateModel(
            name='PlanEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('created', 'Created'), ('imported', 'Imported'), ('reimported', 'Re-imported'), ('submitted', 'Submitted for review'), ('returned', 'Returned for changes'), ('published', 'Published'), ('revision_started', 'Revision started'), ('revision_discarded', 'Revision discarded'), ('archived', 'Archived')], max_length=32, verbose_name='action')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                ('comment', models.TextField(blank=True, verbose_name='comment')),
                ('revision', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='revision')),
            ],
            options={
                'verbose_name': 'plan event',
                'verbose_name_plural': 'plan events',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='PlanRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='revision')),
                ('doc_number', models.CharField(blank=True, max_length=64, verbose_name='document number')),
                ('note', models.TextField(blank=True, verbose_name='revision note')),
                ('published_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='published at')),
                ('snapshot', models.JSONField(verbose_name='content')),
            ],
            options={
                'verbose_name': 'plan revision',
                'verbose_name_plural': 'plan revisions',
                'ordering': ['plan_id', 'number'],
            },
        ),
        migrations.CreateModel(
            name='PlanSource',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(blank=True, max_length=255, verbose_name='file name')),
                ('file', models.FileField(blank=True, upload_to=plans.models.source_upload_to, verbose_name='original file')),
                ('text', models.TextField(verbose_name='text read')),
                ('sha256', models.CharField(max_length=64, verbose_name='text checksum')),
                ('warnings', models.JSONField(blank=True, default=list, verbose_name='import warnings')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='imported at')),
            ],
            options={
                'verbose_name': 'plan source',
                'verbose_name_plural': 'plan sources',
            },
        ),
        migrations.CreateModel(
            name='TaskTarget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ],
            options={
                'verbose_name': 'task target',
                'verbose_name_plural': 'task targets',
            },
        ),
        migrations.AlterModelOptions(
            name='county',
            options={'ordering': ['code', 'name'], 'verbose_name': 'county', 'verbose_name_plural': 'counties'},
        ),
        migrations.AlterModelOptions(
            name='membership',
            options={'ordering': ['user_id', 'office_id'], 'verbose_name': 'membership', 'verbose_name_plural': 'memberships'},
        ),
        migrations.AlterModelOptions(
            name='project',
            options={'ordering': ['plan_id', 'number'], 'verbose_name': 'project', 'verbose_name_plural': 'projects'},
        ),
        migrations.AlterModelOptions(
            name='scheduleentry',
            options={'ordering': ['plan_id', 'position'], 'verbose_name': 'schedule entry', 'verbose_name_plural': 'schedule entries'},
        ),
        migrations.AlterModelOptions(
            name='section',
            options={'ordering': ['plan_id', 'position'], 'verbose_name': 'section', 'verbose_name_plural': 'sections'},
        ),
        migrations.AlterModelOptions(
            name='task',
            options={'ordering': ['plan_id', 'number'], 'verbose_name': 'task', 'verbose_name_plural': 'tasks'},
        ),
        migrations.AlterModelOptions(
            name='workplan',
            options={'ordering': ['-plan_year', '-id'], 'verbose_name': 'work plan', 'verbose_name_plural': 'work plans'},
        ),
        migrations.RemoveConstraint(
            model_name='membership',
            name='membership_role_valid',
        ),
        migrations.RemoveConstraint(
            model_name='workplan',
            name='workplan_unique_doc_number_per_office',
        ),
        migrations.RemoveConstraint(
            model_name='workplan',
            name='workplan_status_valid',
        ),
        migrations.RemoveConstraint(
            model_name='workplan',
            name='workplan_published_has_date',
        ),
        migrations.AddField(
            model_name='membership',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at'),
        ),
        migrations.AddField(
            model_name='project',
            name='heading',
            field=models.TextField(blank=True, verbose_name='heading as written'),
        ),
        migrations.AddField(
            model_name='project',
            name='key',
            field=models.UUIDField(editable=False, null=True, verbose_name='key'),
        ),
        migrations.AddField(
            model_name='scheduleentry',
            name='deadline_day',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='deadline day'),
        ),
        migrations.AddField(
            model_name='scheduleentry',
            name='key',
            field=models.UUIDField(editable=False, null=True, verbose_name='key'),
        ),
        migrations.AddField(
            model_name='scheduleentry',
            name='lead_unit',
            field=models.TextField(blank=True, verbose_name='lead unit'),
        ),
        migrations.AddField(
            model_name='section',
            name='key',
            field=models.UUIDField(editable=False, null=True, verbose_name='key'),
        ),
        migrations.AddField(
            model_name='task',
            name='addresses_all_counties',
            field=models.BooleanField(default=False, verbose_name='addressed to all counties'),
        ),
        migrations.AddField(
            model_name='task',
            name='key',
            field=models.UUIDField(editable=False, null=True, verbose_name='key'),
        ),
        migrations.AddField(
            model_name='workplan',
            name='archived_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='archived at'),
        ),
        migrations.AddField(
            model_name='workplan',
            name='projects_first',
            field=models.BooleanField(default=False, help_text='The notice lists its projects before its sections and tasks.', verbose_name='projects before the work points'),
        ),
        migrations.AddField(
            model_name='workplan',
            name='revision',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='revision'),
        ),
        migrations.AddField(
            model_name='workplan',
            name='revision_of',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='revision_draft', to='plans.workplan', verbose_name='revision of'),
        ),
        migrations.AddField(
            model_name='workplan',
            name='submitted_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='submitted at'),
        ),
        migrations.AddField(
            model_name='workplan',
            name='version',
            field=models.PositiveIntegerField(default=1, verbose_name='version'),
        ),
        migrations.AlterField(
            model_name='membership',
            name='role',
            field=models.CharField(choices=[('editor', 'Editor'), ('reviewer', 'Reviewer'), ('viewer', 'Viewer'), ('county', 'County office')], max_length=16, verbose_name='role'),
        ),
        migrations.AlterField(
            model_name='membership',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL, verbose_name='user'),
        ),
        migrations.AlterField(
            model_name='project',
            name='name',
            field=models.TextField(verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='section',
            name='heading',
            field=models.TextField(verbose_name='heading'),
        ),
        migrations.AlterField(
            model_name='task',
            name='lead_unit',
            field=models.TextField(blank=True, verbose_name='lead unit'),
        ),
        migrations.AlterField(
            model_name='task',
            name='title',
            field=models.TextField(verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='workplan',
            name='imprint',
            field=models.TextField(blank=True, verbose_name='imprint'),
        ),
        migrations.AlterField(
            model_name='workplan',
            name='notice_title',
            field=models.TextField(blank=True, verbose_name='notice title'),
        ),
        migrations.AlterField(
            model_name='workplan',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('in_review', 'In review'), ('published', 'Published'), ('archived', 'Archived')], default='draft', max_length=16, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='workplan',
            name='title',
            field=models.TextField(verbose_name='title'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.UniqueConstraint(fields=('user', 'office'), name='membership_unique_office'),
        ),
        migrations.AddConstraint(
            model_name='scheduleentry',
            constraint=models.CheckConstraint(condition=models.Q(('deadline_day__isnull', True), models.Q(('deadline_day__gte', 1), ('deadline_day__lte', 31)), _connector='OR'), name='schedule_deadline_day_range'),
        ),
        migrations.AddConstraint(
            model_name='workplan',
            constraint=models.UniqueConstraint(condition=models.Q(models.Q(('doc_number', ''), _negated=True), ('revision_of__isnull', True)), fields=('office', 'doc_number'), name='workplan_unique_doc_number_per_office'),
        ),
        migrations.AddConstraint(
            model_name='workplan',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'in_review', 'published', 'archived'])), name='workplan_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='workplan',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'in_review']), ('published_at__isnull', False), _connector='OR'), name='workplan_published_has_date'),
        ),
        migrations.AddConstraint(
            model_name='workplan',
            constraint=models.CheckConstraint(condition=models.Q(('revision_of__isnull', True), ('status__in', ['draft', 'in_review']), _connector='OR'), name='workplan_revision_draft_unpublished'),
        ),
        migrations.AddConstraint(
            model_name='workplan',
            constraint=models.CheckConstraint(condition=models.Q(('version__gte', 1)), name='workplan_version_positive'),
        ),
        migrations.AddField(
            model_name='entrytarget',
            name='county',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='entry_targets', to='plans.county', verbose_name='county'),
        ),
        migrations.AddField(
            model_name='entrytarget',
            name='entry',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='plans.scheduleentry', verbose_name='schedule entry'),
        ),
        migrations.AddField(
            model_name='historicalentrytarget',
            name='county',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.county', verbose_name='county'),
        ),
        migrations.AddField(
            model_name='historicalentrytarget',
            name='entry',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.scheduleentry', verbose_name='schedule entry'),
        ),
        migrations.AddField(
            model_name='historicalentrytarget',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalmembership',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalmembership',
            name='office',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.office', verbose_name='office'),
        ),
        migrations.AddField(
            model_name='historicalmembership',
            name='user',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user'),
        ),
        migrations.AddField(
            model_name='historicalproject',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalproject',
            name='plan',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.workplan', verbose_name='work plan'),
        ),
        migrations.AddField(
            model_name='historicalscheduleentry',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalscheduleentry',
            name='plan',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.workplan', verbose_name='work plan'),
        ),
        migrations.AddField(
            model_name='historicalscheduleentry',
            name='task',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.task', verbose_name='task'),
        ),
        migrations.AddField(
            model_name='historicalsection',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalsection',
            name='parent',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.section', verbose_name='parent section'),
        ),
        migrations.AddField(
            model_name='historicalsection',
            name='plan',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.workplan', verbose_name='work plan'),
        ),
        migrations.AddField(
            model_name='historicaltask',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicaltask',
            name='lead_office',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.office', verbose_name='lead office'),
        ),
        migrations.AddField(
            model_name='historicaltask',
            name='plan',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.workplan', verbose_name='work plan'),
        ),
        migrations.AddField(
            model_name='historicaltask',
            name='section',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.section', verbose_name='section'),
        ),
        migrations.AddField(
            model_name='historicaltasktarget',
            name='county',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.county', verbose_name='county'),
        ),
        migrations.AddField(
            model_name='historicaltasktarget',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicaltasktarget',
            name='task',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.task', verbose_name='task'),
        ),
        migrations.AddField(
            model_name='historicalworkplan',
            name='created_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by'),
        ),
        migrations.AddField(
            model_name='historicalworkplan',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalworkplan',
            name='office',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.office', verbose_name='issuing office'),
        ),
        migrations.AddField(
            model_name='historicalworkplan',
            name='revision_of',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.workplan', verbose_name='revision of'),
        ),
        migrations.AddField(
            model_name='officealias',
            name='office',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='aliases', to='plans.office', verbose_name='office'),
        ),
        migrations.AddField(
            model_name='plancounty',
            name='county',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plan_index', to='plans.county', verbose_name='county'),
        ),
        migrations.AddField(
            model_name='plancounty',
            name='plan',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='county_index', to='plans.workplan', verbose_name='work plan'),
        ),
        migrations.AddField(
            model_name='planevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='plan_events', to=settings.AUTH_USER_MODEL, verbose_name='by'),
        ),
        migrations.AddField(
            model_name='planevent',
            name='plan',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='plans.workplan', verbose_name='work plan'),
        ),
        migrations.AddField(
            model_name='planrevision',
            name='plan',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='plans.workplan', verbose_name='work plan'),
        ),
        migrations.AddField(
            model_name='planrevision',
            name='published_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='published by'),
        ),
        migrations.AddField(
            model_name='plansource',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='imported by'),
        ),
        migrations.AddField(
            model_name='plansource',
            name='plan',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='source', to='plans.workplan', verbose_name='work plan'),
        ),
        migrations.AddField(
            model_name='tasktarget',
            name='county',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='task_targets', to='plans.county', verbose_name='county'),
        ),
        migrations.AddField(
            model_name='tasktarget',
            name='task',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='plans.task', verbose_name='task'),
        ),
        migrations.AddIndex(
            model_name='entrytarget',
            index=models.Index(fields=['county', 'entry'], name='entrytarget_county_idx'),
        ),
        migrations.AddConstraint(
            model_name='entrytarget',
            constraint=models.UniqueConstraint(fields=('entry', 'county'), name='entrytarget_unique'),
        ),
        migrations.AddIndex(
            model_name='plancounty',
            index=models.Index(fields=['county', 'plan'], name='plancounty_county_idx'),
        ),
        migrations.AddConstraint(
            model_name='plancounty',
            constraint=models.UniqueConstraint(fields=('plan', 'county'), name='plancounty_unique'),
        ),
        migrations.AddIndex(
            model_name='planevent',
            index=models.Index(fields=['plan', '-created_at'], name='planevent_plan_idx'),
        ),
        migrations.AddConstraint(
            model_name='planrevision',
            constraint=models.UniqueConstraint(fields=('plan', 'number'), name='planrevision_unique_number'),
        ),
        migrations.AddConstraint(
            model_name='planrevision',
            constraint=models.CheckConstraint(condition=models.Q(('number__gte', 1)), name='planrevision_number_positive'),
        ),
        migrations.AddConstraint(
            model_name='plansource',
            constraint=models.UniqueConstraint(fields=('sha256',), name='plansource_unique_text'),
        ),
        migrations.AddIndex(
            model_name='tasktarget',
            index=models.Index(fields=['county', 'task'], name='tasktarget_county_idx'),
        ),
        migrations.AddConstraint(
            model_name='tasktarget',
            constraint=models.UniqueConstraint(fields=('task', 'county'), name='tasktarget_unique'),
        ),
    ]
