"""The shared fixture builds what it promises."""

from __future__ import annotations

import pytest

from medvirk.methods.hearing.models import Hearing, Paragraph, Section
from medvirk.processes.models import MethodInstance

pytestmark = pytest.mark.django_db


def test_hearing_instance_has_a_document_with_numbered_text(
    hearing_instance: MethodInstance,
) -> None:
    hearing = Hearing.objects.get(method_instance=hearing_instance)
    assert hearing.documents.count() == 1
    assert Section.objects.filter(document__hearing=hearing).count() == 2
    assert Paragraph.objects.filter(section__document__hearing=hearing).count() == 4
