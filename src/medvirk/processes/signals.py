"""Events of the processes layer, sent after commit. Higher apps listen (followers are
told by accountability), so processes never imports them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``process_id`` and ``status`` when a case's status changed.
process_status_changed = Signal()
