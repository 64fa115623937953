"""What every benchmark here shares: the machine line and rewriting its own doc section."""

from __future__ import annotations

import os
import platform
from pathlib import Path

PERFORMANCE_DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def machine() -> str:
    """Cores, CPU model and Python version, for the 'measured on' line."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores (nproc), {cpu}, Python {platform.python_version()}"


def write_section(start: str, end: str, text: str, doc: Path = PERFORMANCE_DOC) -> None:
    """Replace the text between ``start`` and ``end`` markers (inclusive) with ``text``."""
    content = doc.read_text(encoding="utf-8")
    if start in content and end in content:
        before, rest = content.split(start, 1)
        _, after = rest.split(end, 1)
        content = before + text + after
    else:
        content = content.rstrip("\n") + "\n\n" + text + "\n"
    doc.write_text(content, encoding="utf-8")
