from django.contrib.gis.db import models


class City(models.Model):
    name = models.CharField(max_length=100)
    country = models.CharField(max_length=100)
    population = models.PositiveIntegerField()
    location = models.PointField(srid=4326)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "cities"

    def __str__(self):
        return self.name
