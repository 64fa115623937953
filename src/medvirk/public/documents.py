"""A case's published documents as downloads: the case must be visible, the document
published (anything else is not found), and the file is never shown as a page."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from medvirk.core import uploads
from medvirk.processes import documents, lookups


def download(
    request: HttpRequest, municipality: str, slug: str, pk: int, name: str
) -> HttpResponseBase:
    process = lookups.public_process(request, municipality, slug)  # drafts: 404 as the case
    document = documents.published_document(process, pk)
    if document is None:
        raise Http404
    if name != document.name:  # one address per document; the name is only for people
        return redirect(
            "public:document",
            municipality=municipality,
            slug=slug,
            pk=document.pk,
            name=document.name,
            permanent=True,
        )
    return uploads.download_response(document.file, document.name, document.content_type)
