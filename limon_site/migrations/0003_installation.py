import uuid

from django.db import migrations
from django.utils import timezone


def create_installation(apps, schema_editor):
    # The evaluation period starts when LiMon is installed (first migrate).
    installation_model = apps.get_model("limon_site", "Installation")
    installation_model.objects.get_or_create(
        pk=1, defaults={"installation_id": uuid.uuid4(), "installed_at": timezone.now()}
    )


class Migration(migrations.Migration):
    dependencies = [("limon_site", "0002_cache_table")]
    operations = [migrations.RunPython(create_installation, migrations.RunPython.noop)]
