from rest_framework import viewsets

from cities.models import City
from cities.serializers import CitySerializer


class CityViewSet(viewsets.ReadOnlyModelViewSet):
    """/api/cities/ lists the cities, /api/cities/<id>/ retrieves one."""

    queryset = City.objects.all()
    serializer_class = CitySerializer
