from django.shortcuts import render

from agencies.models import Agency


def home(request):
    return render(request, "portal/home.html", {"agencies": Agency.objects.filter(is_active=True)})
