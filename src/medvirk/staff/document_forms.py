"""Forms for a case's documents: add one (with its file), change its title, kind and
whether the public sees it."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from medvirk.core import uploads
from medvirk.processes.types import DocumentKind


class DocumentEditForm(forms.Form):
    title = forms.CharField(label=capfirst(_("title")), max_length=200)
    kind = forms.ChoiceField(label=capfirst(_("kind")), choices=DocumentKind.choices)
    description = forms.CharField(
        label=capfirst(_("description")),
        required=False,
        max_length=500,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("One or two sentences on what the document is, for the case page."),
    )
    is_published = forms.BooleanField(
        label=_("Show on the public case page"), required=False, initial=True
    )


class DocumentForm(DocumentEditForm):
    file = uploads.UploadField(label=_("File"), kinds=uploads.DOCUMENT_KINDS)

    field_order = ["title", "kind", "description", "file", "is_published"]
