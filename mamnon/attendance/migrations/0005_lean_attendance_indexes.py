"""Drop the attendance indexes that other indexes cover (see Attendance's docstring).

The three foreign keys of attendance_attendance (and the group of attendance_daycount) lose their single-column index: (school_id, date),
(group_id, date) and the (child_id, date) constraints start with the same column. Django's AlterField would
drop and re-add each foreign-key constraint, re-checking every row of the largest table; only the indexes
are dropped here (the names are Django's, the same in every database these migrations built). The audit
table loses the indexes of the group, the child and the recorder, which nothing reads it by.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('attendance', '0004_day_counts'),
        ('children', '0002_support_disabled_index'),
        ('org', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "attendance_daycount_group_id_b1ae3518"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "attendance_daycount_group_id_b1ae3518" ON "attendance_daycount" ("group_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "attendance_attendance_child_id_c52aa7ab"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "attendance_attendance_child_id_c52aa7ab" ON "attendance_attendance" ("child_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "attendance_attendance_group_id_d43eb83e"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "attendance_attendance_group_id_d43eb83e" ON "attendance_attendance" ("group_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "attendance_attendance_school_id_5e4d6bfe"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "attendance_attendance_school_id_5e4d6bfe" ON "attendance_attendance" ("school_id")',
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='daycount',
                    name='group',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='children.group'),
                ),
                migrations.AlterField(
                    model_name='attendance',
                    name='child',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='children.child'),
                ),
                migrations.AlterField(
                    model_name='attendance',
                    name='group',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='attendance', to='children.group'),
                ),
                migrations.AlterField(
                    model_name='attendance',
                    name='school',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.school'),
                ),
            ],
        ),
        migrations.AlterField(
            model_name='historicalattendance',
            name='child',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='children.child'),
        ),
        migrations.AlterField(
            model_name='historicalattendance',
            name='group',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='children.group'),
        ),
        migrations.AlterField(
            model_name='historicalattendance',
            name='recorded_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
    ]
