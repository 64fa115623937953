"""Checks on text people write: ``readability`` (LIX, for the klarspråk check) and
``fodselsnummer`` (spotting Norwegian national identity numbers in free text) and
``orgnr`` (the organisation number's mod-11 check)."""
