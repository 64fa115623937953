"""Tables that may be wider than the screen: a labelled, focusable region and a visible hint.

    {% load medvirk_tables %}
    {% scroll_table _("Audit log") %}<table class="ds-table">…</table>{% end_scroll_table %}

The region can take keyboard focus (so arrow keys scroll it) and is named by the label; the
hint "Scroll sideways to see the whole table" shows on narrow screens and is the region's
description for screen readers on every screen.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

_COUNTER = "medvirk_scroll_table_count"


class ScrollTableNode(template.Node):
    def __init__(self, label: FilterExpression, nodelist: NodeList) -> None:
        self.label = label
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        # Ids unique within one page: the count lives in the context's bottom dict, which
        # included templates share (each include gets a render_context of its own).
        root = context.dicts[0]
        number = int(root.get(_COUNTER) or 0) + 1
        root[_COUNTER] = number
        hint_id = f"scroll-table-{number}-hint"
        return format_html(
            '<div class="table-scroll">'
            '<p class="table-scroll__hint" id="{}"><span aria-hidden="true">↔ </span>{}</p>'
            '<div class="table-wrap table-scroll__region" tabindex="0" role="region" '
            'aria-label="{}" aria-describedby="{}">{}</div></div>',
            hint_id,
            gettext("Scroll sideways to see the whole table"),
            self.label.resolve(context),
            hint_id,
            mark_safe(self.nodelist.render(context)),  # noqa: S308 - rendered template output
        )


@register.tag
def scroll_table(parser: Parser, token: Token) -> ScrollTableNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("scroll_table takes one argument: the table's label")
    nodelist = parser.parse(("end_scroll_table",))
    parser.delete_first_token()
    return ScrollTableNode(parser.compile_filter(bits[1]), nodelist)
