"""Case documents and the upload API: a temporary MEDIA_ROOT, so nothing lands in var/."""

from tests.fixtures import english, media, w  # noqa: F401 - shared fixtures
