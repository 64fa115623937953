"""Events of the identity layer, sent after commit. Higher apps listen (accountability tells
the municipality's administrators), so identity never imports them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``check_id`` and ``municipality_id`` when a person disputed an in-person
# identity check of their account.
in_person_check_disputed = Signal()
