"""Who was heard at a meeting: the age group, sex and district a person may give when they
register, only with their explicit consent (never inferred from anything else).

The three are compared with the municipality's population on the case's "who took part"
page (``participants.py``) and are never shown with the person's name: not on the staff
pages, not in the registrations export. They are kept with the registration and deleted
with it (cancelling a meeting, deleting the registrations after it, erasure).

The districts people choose from are the instance's setting ``districts`` (one per line,
written as in the municipality's population figures for districts, which a method cannot
read); without the setting people write their district themselves. A name the population
figures do not have counts there as "not given".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from medvirk.algorithms.representation import fold
from medvirk.core.errors import ActionRefused
from medvirk.processes.models import MethodInstance

from .models import AgeBand, Sex

MAX_DISTRICT = 100
MAX_DISTRICTS = 100
SETTING = "districts"


@dataclass(frozen=True)
class Demographics:
    """What the person chose to tell ("" = not told)."""

    age_band: str = ""
    sex: str = ""
    district: str = ""

    @property
    def given(self) -> bool:
        return bool(self.age_band or self.sex or self.district)


def district_names(instance: MethodInstance) -> list[str]:
    """The districts to choose from (the instance's setting, one per line), or []."""
    raw = str(instance.settings.get(SETTING, "") or "")
    names: list[str] = []
    seen: set[str] = set()
    for line in raw.splitlines():
        name = " ".join(line.split())[:MAX_DISTRICT]
        if name and fold(name) not in seen:
            seen.add(fold(name))
            names.append(name)
    return names[:MAX_DISTRICTS]


def clean(instance: MethodInstance, given: Demographics | None) -> Demographics | None:
    """The three checked again (a path around the form meets the same rules); None when
    nothing is given. A district from the instance's list is stored as the list spells it."""
    if given is None:
        return None
    if given.age_band and given.age_band not in AgeBand.values:
        raise ActionRefused(_("Choose an age group from the list."))
    if given.sex and given.sex not in Sex.values:
        raise ActionRefused(_("Choose woman, man or other."))
    district = " ".join(given.district.split())
    if len(district) > MAX_DISTRICT:
        raise ActionRefused(
            _("The district's name has at most %(max)d characters.") % {"max": MAX_DISTRICT}
        )
    names = district_names(instance)
    if district and names:
        spelled = {fold(name): name for name in names}
        if fold(district) not in spelled:
            raise ActionRefused(_("Choose a district from the list."))
        district = spelled[fold(district)]
    cleaned = Demographics(age_band=given.age_band, sex=given.sex, district=district)
    return cleaned if cleaned.given else None
