"""The map method's forms: its settings, a mark on the map, a mark from the list of places,
joining a class, and the staff's (and teachers') forms for classes and places.

The settings form's ``initial`` values are the defaults; every clean method returns the
canonical text, so stored settings validate to themselves again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from medvirk.algorithms import geo
from medvirk.processes.registry import SettingsForm

from . import categories, config, refusals
from .categories import PRESET_CHOICES, CategoryLineError

MAX_COMMENT = 1000
MIN_CELL, MAX_CELL = 25, 1000
MAX_UPLOAD_BYTES = 2_000_000

PARTICIPANT_CHOICES = (
    (config.EVERYONE, _("Everyone (no class codes)")),
    (config.CLASSES, _("Only school classes with a code (Barnetråkk in school)")),
    (config.BOTH, _("Everyone, and school classes with a code")),
)
GRADES = range(1, 14)  # 1.–10. trinn, then Vg1–Vg3 in upper secondary


def grade_label(grade: int) -> str:
    """ "4. trinn", "Vg2" in the active language."""
    if 11 <= grade <= 13:
        return gettext("Vg%(n)d") % {"n": grade - 10}
    return gettext("%(n)d. grade") % {"n": grade}


def grade_choices() -> list[tuple[int, str]]:
    return [(n, grade_label(n)) for n in GRADES]


class MapSettings(SettingsForm):
    preset = forms.ChoiceField(
        label=_("What people mark"),
        choices=PRESET_CHOICES,
        initial=categories.CHILDREN,
        help_text=_(
            "For children: my way to school (a route), places I like, places I avoid, "
            "dangerous crossings, where I play (a place or an area). For adults: good places, "
            "what should be better, places that feel unsafe, routes, ideas."
        ),
    )
    categories = forms.CharField(
        label=_("Own categories instead (one a line)"),
        required=False,
        initial="",
        widget=forms.Textarea({"rows": 5}),
        help_text=_(
            "Key; label; shapes; colour – e.g. “bench; A bench is missing here; point; "
            "#0b5394”. Shapes: point, line, polygon, or point+polygon. The colour may be left "
            "out. Empty: the categories above."
        ),
    )
    area = forms.CharField(
        label=_("The map's area"),
        required=False,
        initial="",
        widget=forms.Textarea({"rows": 3}),
        help_text=_(
            "Four numbers: west, south, east, north (longitude first, e.g. 5.03, 61.33, "
            "5.10, 61.36), or a polygon as GeoJSON. Marks outside are refused. Empty: all of "
            "Norway."
        ),
    )
    view = forms.CharField(
        label=_("Where the map starts"),
        required=False,
        initial="",
        max_length=60,
        help_text=_("Latitude, longitude, zoom (e.g. 61.346, 5.064, 15). Empty: the whole area."),
    )
    sub_areas = forms.CharField(
        label=_("Sub-areas to count in (optional)"),
        required=False,
        initial="",
        widget=forms.Textarea({"rows": 4}),
        help_text=_(
            "One a line, “Name: west, south, east, north”, or GeoJSON features with a name. "
            "The results count the marks in each. Empty: counted in the grid's squares."
        ),
    )
    cell_size = forms.IntegerField(
        label=_("Size of the results' squares, in metres"),
        initial=config.DEFAULT_CELL_M,
        min_value=MIN_CELL,
        max_value=MAX_CELL,
        help_text=_("From 25 to 1000. The heat map and route density count per square."),
    )
    participants = forms.ChoiceField(
        label=_("Who marks"),
        choices=PARTICIPANT_CHOICES,
        initial=config.EVERYONE,
        help_text=_(
            "With classes, a teacher gets a code for the class; pupils join with the code, "
            "their school and grade, without names or accounts."
        ),
    )
    show_results = forms.BooleanField(
        label=_("Show the results to everyone"),
        required=False,
        initial=True,
        help_text=_(
            "The heat map, route density and counts (numbers under 5 hidden), and the "
            "published marks as open data."
        ),
    )

    def clean_categories(self) -> str:
        text = str(self.cleaned_data.get("categories") or "")
        if not text.strip():
            return ""
        try:
            found = categories.parse_lines(text)
        except CategoryLineError as error:
            raise forms.ValidationError(refusals.category_message(error)) from error
        return categories.to_lines(found)

    def clean_area(self) -> str:
        try:
            return geo.parse_area(str(self.cleaned_data.get("area") or "")).text
        except geo.AreaError as error:
            raise forms.ValidationError(refusals.area_message(error)) from error

    def clean_view(self) -> str:
        try:
            return config.view_text(config.parse_view(str(self.cleaned_data.get("view") or "")))
        except ValueError as error:
            raise forms.ValidationError(
                _("Write latitude, longitude and zoom (1–19), e.g. 61.346, 5.064, 15.")
            ) from error

    def clean_sub_areas(self) -> str:
        try:
            _found, text = geo.parse_sub_areas(str(self.cleaned_data.get("sub_areas") or ""))
        except geo.AreaError as error:
            raise forms.ValidationError(refusals.area_message(error)) from error
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "area" in cleaned and cleaned.get("view"):
            view = config.parse_view(cleaned["view"])
            area = geo.parse_area(cleaned["area"])
            if view is not None and not area.contains((view.lon, view.lat)):
                self.add_error(
                    "view", _("The map must start inside its area (latitude comes first).")
                )
        return cleaned


# -- residents' forms ---------------------------------------------------------------------


class _ModeChoice(forms.ChoiceField):
    widget = forms.RadioSelect


class MarkForm(forms.Form):
    """A mark drawn on the map: what (category and shape), where (GeoJSON written by the
    drawing module into the hidden field), and a comment."""

    category = _ModeChoice(label=_("What do you want to mark?"), choices=())
    geometry = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    comment = forms.CharField(
        label=_("Tell us about it"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Why is it good, bad or dangerous? Do not write names."),
    )
    contact_email = forms.EmailField(
        label=_("E-mail for the answer"),
        required=False,
        max_length=254,
        help_text=_("Only to tell you when the municipality has answered. Never shown."),
    )

    def __init__(
        self, *args: Any, map_config: config.MapConfig, pupil: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(m.value, m.label) for m in map_config.modes]
        if pupil:
            # Pupils give no e-mail: the class's teacher and the results page tell them.
            del self.fields["contact_email"]
        self.fields["comment"].widget.attrs["maxlength"] = str(MAX_COMMENT)


class ListMarkForm(MarkForm):
    """The same mark from the list of places: the places in order instead of a drawing."""

    places = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["geometry"]
        self.fields["category"].widget = forms.HiddenInput()

    def clean_places(self) -> list[int]:
        return parse_place_ids(str(self.cleaned_data.get("places") or ""))


def parse_place_ids(text: str, limit: int = 1000) -> list[int]:
    """ "12,34,56" → [12, 34, 56]; anything that is not a plain id is dropped."""
    ids = []
    for part in text.split(",")[:limit]:
        part = part.strip()
        if part.isascii() and part.isdigit() and len(part) <= 12:
            ids.append(int(part))
    return ids


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Class code"),
        max_length=20,
        help_text=_("The code your teacher gave the class, e.g. ABC-DEF."),
        error_messages={"required": _("Write the class code.")},
    )
    school = forms.ChoiceField(
        label=_("Your school"), error_messages={"required": _("Choose your school.")}
    )
    grade = forms.TypedChoiceField(
        label=_("Your grade"),
        coerce=int,
        choices=[("", "")],
        error_messages={"required": _("Choose your grade.")},
    )

    def __init__(self, *args: Any, schools: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        school = self.fields["school"]
        grade = self.fields["grade"]
        assert isinstance(school, forms.ChoiceField) and isinstance(grade, forms.ChoiceField)
        school.choices = [("", _("Choose …")), *((s, s) for s in schools)]
        grade.choices = [("", _("Choose …")), *grade_choices()]
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        )


# -- staff and teachers --------------------------------------------------------------------


class ClassForm(forms.Form):
    school = forms.CharField(label=_("School"), max_length=120)
    grade = forms.TypedChoiceField(label=_("Grade"), coerce=int, choices=grade_choices)
    label = forms.CharField(
        label=_("Class"),
        max_length=20,
        required=False,
        help_text=_("E.g. A or 4B; empty if the grade is one class."),
    )

    def __init__(self, *args: Any, fixed_school: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_school:
            del self.fields["school"]


class TeacherLinkForm(forms.Form):
    school = forms.CharField(
        label=_("School"),
        max_length=120,
        help_text=_("The teacher makes codes for classes at this school only."),
    )


class PlacesForm(forms.Form):
    file = forms.FileField(
        label=_("The list of places (CSV)"),
        help_text=_(
            "Columns: name, latitude, longitude and, if you like, type (school, crossing, "
            "park, street …). Comma or semicolon between columns; a decimal comma works. "
            "The new list replaces the old one."
        ),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1252"):  # Excel on Windows saves in cp1252
            try:
                return str(raw.decode(encoding))
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(_("The file is not text (save it as CSV)."))
