from django.http import HttpResponse, JsonResponse


def index(request):
    return HttpResponse("Hello from PYCONTAINER_SERVICE_DISPLAY_NAME (Django)!\n", content_type="text/plain")


def health(request):
    return JsonResponse({"status": "ok"})
