"""Load every ISO 3166-1 country with its English and French names."""
from django.db import migrations

from articles.ingest.country_names import iso_countries


def load_countries(apps, schema_editor):
    Country = apps.get_model("articles", "Country")
    for code, name_en, name_fr in iso_countries():
        Country.objects.update_or_create(code=code, defaults={"name_en": name_en, "name_fr": name_fr})


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
