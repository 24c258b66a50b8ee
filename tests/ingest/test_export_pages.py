"""A quote from a PDF source exports with a "p. N" footnote; the CLI lists, shows and adds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from made_files import write_pdf

from briefkit.brief.anchoring import anchor_quote
from briefkit.brief.model import Citation, Position
from briefkit.brief.store import new_brief, save_brief
from briefkit.cli import main
from briefkit.library.library import Library
from briefkit.render.export import export_brief


def test_citation_to_a_pdf_exports_as_a_footnote_with_its_page(
        library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = write_pdf(tmp_path / "review.pdf")
    assert main(["sources", "add", str(pdf), "--library", str(library)]) == 0
    capsys.readouterr()
    text = Library.open(library).source("review").text
    brief = new_brief(library / "b.brief.yaml", title="Oil", library=".")
    brief.sections["summary"] = "Revenue collapsed [@rev]."
    brief.positions.append(Position(id="p", title="Relief", citations=[
        Citation(id="rev", source="review", anchor=anchor_quote(text, "were significant for the state budget"))]))
    save_brief(brief)
    out = export_brief(brief, "md", tmp_path / "b.md", copy="reviewer")  # the register quotes
    markdown = out.read_text(encoding="utf-8")
    notes = [ln for ln in markdown.splitlines() if ln.startswith("[^")]
    # Chicago prints a page locator bare ("Title, 2."), where a web source gets "para. N".
    assert notes == ["[^1]: Jane Analyst, *Sanctions and Their Effects* (2000), 2.",
                     "[^2]: Analyst, *Sanctions and Their Effects*, 2."]
    assert "Sanctions and Their Effects, p. 2: “were significant for the state budget”" in markdown


def test_show_and_sources_list_include_ingested_pdf(
        library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["sources", "add", str(write_pdf(tmp_path / "review.pdf")), "--library", str(library)])
    capsys.readouterr()
    assert main(["show", "review", "--library", str(library)]) == 0
    assert "[3] (p. 2) The financial flows" in capsys.readouterr().out
    assert main(["sources", "--library", str(library), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["id"] == "review" and rows[0]["title"] == "Sanctions and Their Effects"
    assert main(["search", "treasury", "--library", str(library), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["source"] == "review"
