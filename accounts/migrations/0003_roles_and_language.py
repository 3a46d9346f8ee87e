from django.db import migrations, models

# The global roles added for people running the platform themselves (issue 12).
ROLES = ["regional_partner", "programme_admin", "platform_admin"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_global_role_groups")]
    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True, choices=[("nl", "Nederlands"), ("en", "English")], max_length=8, verbose_name="taal"
            ),
        ),
        migrations.RunPython(create_groups, migrations.RunPython.noop),
    ]
