"""Template helpers: Designsystemet widgets with the ARIA links WCAG asks for."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def ds_widget(field: BoundField) -> SafeString:
    """Render a form widget with Designsystemet's class and help/error descriptions."""
    attrs: dict[str, str | bool] = {"class": "ds-input"}
    described = []
    if field.help_text:
        described.append(f"{field.id_for_label}-help")
    if field.errors:
        described.append(f"{field.id_for_label}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
