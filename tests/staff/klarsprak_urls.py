"""The project's URLs plus the klarspråk view at the address the lead mounts it on, and a
bare editor page for the browser test of klarsprak.js."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from medvirk.staff.klarsprak import klarsprak
from medvirk.urls import urlpatterns as project_urlpatterns

EDITOR = """{% load static %}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Klarspråk test page</title>
<link rel="stylesheet" href="{% static 'vendor/designsystemet/designsystemet-theme-1.22.0.css' %}">
<link rel="stylesheet" href="{% static 'vendor/designsystemet/designsystemet-css-1.22.0.css' %}">
<link rel="stylesheet" href="{% static 'medvirk/medvirk.css' %}">
</head>
<body><main>
<h1>Klarspråk test page</h1>
<form method="post">{% csrf_token %}
  <label for="id_summary">Summary</label>
  <textarea id="id_summary" name="summary" rows="4"
            data-klarsprak-url="/stab/klarsprak/"></textarea>
  {% include "staff/_klarsprak.html" with report=None field_id="id_summary" %}
</form>
</main>
<script src="{% static 'medvirk/klarsprak.js' %}" defer></script>
</body></html>"""


@login_required
def editor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(engines["django"].from_string(EDITOR).render(request=request))


urlpatterns = [
    path("stab/klarsprak/", klarsprak, name="klarsprak-under-test"),
    path("test-editor/", editor),
    *project_urlpatterns,
]
