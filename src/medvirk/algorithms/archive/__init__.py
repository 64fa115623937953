"""Export to a kommune's sak/arkiv system: ``arkivmelding`` builds KS Fiks Arkiv
arkivmelding messages (Noark 5) from plain dataclasses."""
