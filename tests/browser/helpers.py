"""Helpers for browser tests: the axe-core accessibility check and small page checks."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE_VERSION = "4.14.1"
AXE_PATH = Path(__file__).parent / "vendor" / f"axe-{AXE_VERSION}.min.js"
# WCAG 2.1 level A and AA: what Norwegian law (forskrift om universell utforming av IKT) asks.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@cache
def _axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def inject_axe(page: Page) -> None:
    """Load axe into the page unless it is already there.

    ``page.evaluate`` goes through the DevTools protocol, so the page's own
    Content-Security-Policy (script-src 'self') does not block it, and the policy stays in
    force for everything else on the page.
    """
    if page.evaluate("() => typeof window.axe === 'object'"):
        return
    page.evaluate(f"() => {{ {_axe_source()}\n }}")
    loaded = page.evaluate("() => typeof window.axe === 'object' ? window.axe.version : null")
    assert loaded == AXE_VERSION, f"axe-core did not load into {page.url} (got {loaded!r})"


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact given'}): "
            f"{violation['help']}\n  {violation.get('helpUrl', '')}"
        )
        for node in violation.get("nodes", []):
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def axe_check(page: Page, *, exclude: list[str] | None = None) -> dict[str, Any]:
    """Run axe-core on the current page with the WCAG 2.1 A/AA rules; fail on any violation.

    ``exclude`` takes CSS selectors of regions to leave out (use sparingly, and say why).
    Returns axe's full result for further assertions.
    """
    inject_axe(page)
    context: Any = {"exclude": [[selector] for selector in exclude]} if exclude else "html"
    result: dict[str, Any] = page.evaluate(
        """async ([context, tags]) => {
            const r = await window.axe.run(context, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return {violations: r.violations, url: r.url, passes: r.passes.length};
        }""",
        [context, WCAG_TAGS],
    )
    violations = result["violations"]
    assert not violations, (
        f"axe-core {AXE_VERSION} found {len(violations)} WCAG 2.1 A/AA violation(s) on "
        f"{result['url']}:\n{format_violations(violations)}"
    )
    return result


def stylesheet_statuses(page: Page, path: str) -> dict[str, int]:
    """Open ``path`` and return {stylesheet URL: HTTP status} for every stylesheet it loads."""
    statuses: dict[str, int] = {}

    def record(response: Any) -> None:
        if response.request.resource_type == "stylesheet":
            statuses[response.url] = response.status

    page.on("response", record)
    try:
        page.goto(path, wait_until="load")
    finally:
        page.remove_listener("response", record)
    return statuses
