"""A house template with a given header line, written beside a test's brief."""

from __future__ import annotations

from pathlib import Path


def write_template(folder: Path, header: str, name: str = "house") -> Path:
    path = folder / "templates" / f"{name}.md.j2"
    path.parent.mkdir(exist_ok=True)
    path.write_text("{#- briefkit-template\ntitle: House\nsections: [summary, background]\n"
                    f"{header}\n-#}}\n## Summary\n\n{{{{ sections.summary }}}}\n", encoding="utf-8")
    return path
