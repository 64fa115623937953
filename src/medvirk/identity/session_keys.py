"""Names of values kept in a person's session, shared by the apps that set and read them.

Identity stands below the apps that know about staff roles; they set ``STAFF`` at login
(organisations/sessions.py) and identity reads it to send staff to their own area.
"""

from __future__ import annotations

STAFF = "medvirk.staff"  # the session belongs to staff (a role in some municipality)
