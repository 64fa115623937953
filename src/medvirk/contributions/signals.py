"""What contributions tell the layers above (accountability sends the e-mails).

Both are sent after the transaction commits, with ids only.
"""

from __future__ import annotations

from django.dispatch import Signal

# A contribution was stored: kwargs ``contribution_id``. Accountability e-mails the receipt
# (the acknowledgement, "mottatt") when the person gave an address or is logged in.
contribution_created = Signal()

# A moderator approved, hid, restored or rejected input: kwargs ``contribution_id``,
# ``action`` (approved|hidden|restored|rejected) and ``reason``. The author is told.
contribution_moderated = Signal()
