from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actions import FIRST_YEAR, LAST_YEAR, MAX_SOURCE


class SsbForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file from SSB table 07459"),
        help_text=_(
            "On ssb.no/statbank/table/07459 choose your kommune, both sexes, every one-year "
            "age and the latest year, and download as CSV."
        ),
    )


class DistrictForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file with the population by district"),
        help_text=_(
            "Columns: district (krins), and the number of people (personar); sex (kjønn) "
            "and age (alder) are optional."
        ),
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, initial=timezone.now().year
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=MAX_SOURCE,
        help_text=_("Where the figures come from, e.g. Folkeregisteret, 1 January."),
    )
