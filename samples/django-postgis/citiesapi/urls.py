from django.urls import include, path
from rest_framework.routers import DefaultRouter

from cities.views import CityViewSet

router = DefaultRouter()
router.register("cities", CityViewSet)

urlpatterns = [path("api/", include(router.urls))]
