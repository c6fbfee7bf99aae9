from rest_framework import serializers

from cities.models import City


class CitySerializer(serializers.ModelSerializer):
    # Plain numbers rather than WKT: what an API client wants from a PointField.
    longitude = serializers.FloatField(source="location.x", read_only=True)
    latitude = serializers.FloatField(source="location.y", read_only=True)

    class Meta:
        model = City
        fields = ["id", "name", "country", "population", "longitude", "latitude"]
