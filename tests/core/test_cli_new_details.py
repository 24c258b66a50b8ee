"""`briefkit new` writes the brief's title block from its options (issue 15), so a brief can be
drafted to export without touching YAML by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefkit.brief.store import load_brief
from briefkit.cli import main


def _new(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(["new", *argv, "--no-open"])
    return status, capsys.readouterr().err


def test_new_sets_every_detail_of_the_title_block(capsys: pytest.CaptureFixture[str], sample_dir: Path,
                                                 tmp_path: Path) -> None:
    brief = tmp_path / "carbon.brief.yaml"
    status, err = _new(capsys, str(brief), "--library", str(sample_dir), "--title", "A carbon border fee",
                       "--subtitle", "Three options", "--author", "A. Analyst", "--organisation", "Trade Unit",
                       "--audience", "The Deputy Secretary", "--date", "2026-12-01", "--template",
                       "decision-memo", "--style", "apa")
    assert status == 0, err
    loaded = load_brief(brief)
    assert (loaded.title, loaded.subtitle, loaded.author, loaded.organisation, loaded.audience, loaded.date,
            loaded.template, loaded.style) == ("A carbon border fee", "Three options", "A. Analyst",
                                               "Trade Unit", "The Deputy Secretary", "2026-12-01",
                                               "decision-memo", "apa")


def test_a_style_file_is_named_relative_to_the_brief_as_its_library_is(
        capsys: pytest.CaptureFixture[str], sample_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Given relative to where the command runs, written relative to the brief (where export and
    the TUI look for it)."""
    folder = tmp_path / "briefs"
    (folder / "styles").mkdir(parents=True)
    (folder / "styles" / "house.csl").write_text("<style/>", encoding="utf-8")  # only looked up here
    monkeypatch.chdir(folder / "styles")
    status, err = _new(capsys, str(folder / "b.brief.yaml"), "--library", str(sample_dir), "--style", "house.csl")
    assert status == 0, err
    assert load_brief(folder / "b.brief.yaml").style == "styles/house.csl"


def test_an_unknown_style_is_one_line_and_no_file(capsys: pytest.CaptureFixture[str], sample_dir: Path,
                                                 tmp_path: Path) -> None:
    brief = tmp_path / "x.brief.yaml"
    status, err = _new(capsys, str(brief), "--library", str(sample_dir), "--style", "no-such-style")
    assert status == 2 and not brief.exists()
    assert err.count("\n") == 1 and "unknown citation style 'no-such-style'" in err
