import django.contrib.gis.db.models.fields
from django.contrib.postgres.operations import CreateExtension
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        # A no-op where the database already has PostGIS; needs a superuser where it has not.
        CreateExtension("postgis"),
        migrations.CreateModel(
            name="City",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100)),
                ("country", models.CharField(max_length=100)),
                ("population", models.PositiveIntegerField()),
                ("location", django.contrib.gis.db.models.fields.PointField(srid=4326)),
            ],
            options={"ordering": ["id"], "verbose_name_plural": "cities"},
        ),
    ]
