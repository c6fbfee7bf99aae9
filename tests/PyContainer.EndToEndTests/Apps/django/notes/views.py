from django.http import HttpResponse

from notes.models import Note


def index(request):
    # Writing a row fails unless the container applied the migrations before serving.
    Note.objects.create(text="hello")
    return HttpResponse(f"django answers, notes={Note.objects.count()}\n", content_type="text/plain")
