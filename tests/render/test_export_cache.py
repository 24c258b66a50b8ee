"""An export found in the run cache writes what a fresh export writes, and a change to anything
the export reads (the brief, a source, sources.yaml, a template folder, the reference document,
the options) renders afresh. Each export runs as its own process, as `briefkit export` does; the
process reports whether it loaded Jinja2 (a render always does, a remembered export never)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import pytest

from briefkit.render.docx.record import find_record
from briefkit.render.roundtrip import ExportRecord
from briefkit.render.templates import Templates

_RUN = ("import sys\nfrom briefkit.cli import main\nstatus = main(sys.argv[1:])\n"
        "sys.stderr.write('RENDERED\\n' if 'jinja2' in sys.modules else 'REMEMBERED\\n')\nsys.exit(status)\n")
_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\+00:00|Z)?")


class Run(NamedTuple):
    status: int
    out: str
    err: str
    rendered: bool


@pytest.fixture
def run(tmp_path: Path) -> object:
    env = {**os.environ, "BRIEFKIT_CACHE": str(tmp_path / "cache")}

    def run(*args: str | Path, cwd: Path | None = None) -> Run:
        args = tuple(map(str, args))
        page_count = ("--no-page-count",) if "docx" in args else ()  # LibreOffice's layout: seconds each
        done = subprocess.run([sys.executable, "-c", _RUN, "export", *map(str, args), *page_count],
                              capture_output=True, text=True, env=env, cwd=cwd, timeout=120, check=False)
        *said, flag = done.stderr.rstrip().split("\n")
        return Run(done.returncode, done.stdout, "\n".join(said), flag == "RENDERED")
    return run


def _parts(path: Path) -> dict[str, bytes]:
    """A DOCX's parts with its export times blanked (the file's dates and the record's)."""
    with zipfile.ZipFile(path) as z:
        return {name: _STAMP.sub(b"TIME", z.read(name)) for name in z.namelist()}


@pytest.mark.parametrize("template", [i.name for i in Templates(None).list()])
def test_a_remembered_export_writes_what_a_fresh_one_writes(template: str, sample_brief: Path, run, tmp_path: Path
                                                            ) -> None:
    for fmt in ("docx", "md"):
        first, again = tmp_path / f"first.{fmt}", tmp_path / f"again.{fmt}"
        made = run(sample_brief, "--to", fmt, "--template", template, "-o", first, "--copy", "reviewer")
        assert made.status == 0 and made.rendered, made.err
        kept = run(sample_brief, "--to", fmt, "--template", template, "-o", again, "--copy", "reviewer")
        assert kept.status == 0 and not kept.rendered, kept.err
        assert (kept.out.replace("again", "first"), kept.err) == (made.out, made.err)
        if fmt == "md":
            assert again.read_bytes() == first.read_bytes()
        else:
            assert _parts(again) == _parts(first)


def _record(path: Path) -> tuple[ExportRecord, bytes]:
    """The export record of a DOCX and its core properties (the file's dates)."""
    with zipfile.ZipFile(path) as z:
        found = find_record(z)
        assert found is not None
        return found[0], z.read("docProps/core.xml")


def test_a_remembered_docx_records_its_own_export_time(sample_brief: Path, run, tmp_path: Path) -> None:
    assert run(sample_brief, "--to", "docx", "-o", tmp_path / "a.docx").rendered
    time.sleep(1.1)  # both times have whole seconds
    assert not run(sample_brief, "--to", "docx", "-o", tmp_path / "b.docx").rendered
    (first, first_core), (again, again_core) = _record(tmp_path / "a.docx"), _record(tmp_path / "b.docx")
    assert again.exported > first.exported and replace(again, exported="") == replace(first, exported="")
    assert again_core != first_core


def _changed(sample_brief: Path, what: str) -> str:
    """Change one input of the sample's export; the text the new output must hold."""
    folder = sample_brief.parent
    if what == "brief":
        text = sample_brief.read_text(encoding="utf-8")
        sample_brief.write_text(text.replace("We recommend phased relief", "We now recommend phased relief"),
                                encoding="utf-8")
        return "We now recommend phased relief"
    if what == "sources.yaml":
        path = folder / "sources.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Retitled ", 1), encoding="utf-8")
        return "Retitled"
    if what == "template beside the brief":
        shipped = Templates(None).get("options-memo").path
        (folder / "templates").mkdir()
        for part in shipped.parent.glob("_*.md.j2"):
            shutil.copy(part, folder / "templates" / part.name)
        text = shipped.read_text(encoding="utf-8")
        (folder / "templates" / shipped.name).write_text(text.rstrip() + "\n\nHouse closing line.\n",
                                                         encoding="utf-8")
        return "House closing line."
    if what == "included template part":
        shipped = Templates(None).get("options-memo").path
        shutil.copytree(shipped.parent, folder / "templates")
        part = folder / "templates" / "_register.md.j2"
        part.write_text(part.read_text(encoding="utf-8") + "\nRegister kept by the house.\n", encoding="utf-8")
        return "Register kept by the house."
    raise AssertionError(what)


@pytest.mark.parametrize("what", ["brief", "sources.yaml", "template beside the brief"])
def test_a_changed_input_renders_afresh(what: str, sample_brief: Path, run, tmp_path: Path) -> None:
    assert run(sample_brief, "--to", "md", "-o", tmp_path / "a.md").rendered
    assert not run(sample_brief, "--to", "md", "-o", tmp_path / "a.md").rendered
    expected = _changed(sample_brief, what)
    again = run(sample_brief, "--to", "md", "-o", tmp_path / "b.md")
    assert again.status == 0 and again.rendered, again.err
    assert expected in (tmp_path / "b.md").read_text(encoding="utf-8")
    assert expected not in (tmp_path / "a.md").read_text(encoding="utf-8")


def test_a_change_to_an_included_template_part_renders_afresh(sample_brief: Path, run, tmp_path: Path) -> None:
    _changed(sample_brief, "included template part")  # a house copy of the shipped folder
    assert run(sample_brief, "--to", "md", "-o", tmp_path / "a.md", "--copy", "reviewer").rendered
    part = sample_brief.parent / "templates" / "_register.md.j2"
    part.write_text(part.read_text(encoding="utf-8") + "\nAnd checked weekly.\n", encoding="utf-8")
    assert run(sample_brief, "--to", "md", "-o", tmp_path / "b.md", "--copy", "reviewer").rendered
    assert "And checked weekly." in (tmp_path / "b.md").read_text(encoding="utf-8")


def test_a_source_edited_under_a_quote_is_never_exported_from_memory(sample_brief: Path, run, tmp_path: Path
                                                                     ) -> None:
    assert run(sample_brief, "--to", "docx", "-o", tmp_path / "a.docx").status == 0
    source = sample_brief.parent / "smilde-maximum-pressure-failed.txt"
    text = source.read_text(encoding="utf-8")
    words = re.findall(r"\w{6,}", text)
    source.write_text(" ".join(reversed(words)) + "\n", encoding="utf-8")  # no quote of it is left
    again = run(sample_brief, "--to", "docx", "-o", tmp_path / "b.docx")
    assert again.rendered and again.status != 0 and "do not match their source" in again.err
    assert not (tmp_path / "b.docx").exists()


def test_other_options_and_a_new_reference_document_render_afresh(sample_brief: Path, run, tmp_path: Path
                                                                   ) -> None:
    assert run(sample_brief, "--to", "md", "-o", tmp_path / "p.md").rendered
    reviewer = run(sample_brief, "--to", "md", "-o", tmp_path / "r.md", "--copy", "reviewer")
    assert reviewer.rendered and (tmp_path / "r.md").read_bytes() != (tmp_path / "p.md").read_bytes()
    assert run(sample_brief, "--to", "md", "-o", tmp_path / "s.md", "--style", "apa").rendered
    reference = tmp_path / "house.docx"
    assert run(sample_brief, "--to", "docx", "-o", reference).status == 0
    assert run(sample_brief, "--to", "docx", "-o", tmp_path / "x.docx", "--reference-doc", reference).rendered
    assert not run(sample_brief, "--to", "docx", "-o", tmp_path / "y.docx", "--reference-doc", reference).rendered
    with zipfile.ZipFile(reference, "a") as z:  # the house's reference document, edited
        z.writestr("customXml/house.xml", "<house/>")
    assert run(sample_brief, "--to", "docx", "-o", tmp_path / "z.docx", "--reference-doc", reference).rendered


def test_a_remembered_export_still_refuses_to_overwrite_an_input(sample_brief: Path, run) -> None:
    assert run(sample_brief, "--to", "md").status == 0
    sources = sample_brief.parent / "sources.yaml"
    before = sources.read_bytes()
    refused = run(sample_brief, "--to", "md", "-o", sources)
    assert refused.status == 2 and not refused.rendered and "an input of this export" in refused.err
    assert sources.read_bytes() == before


def test_warnings_are_said_again_and_bad_briefs_fail_every_time(sample_brief: Path, run, tmp_path: Path) -> None:
    text = sample_brief.read_text(encoding="utf-8")
    start = text.index("  background: |")
    end = text.index("\n  recommendation: |")
    sample_brief.write_text(text[:start] + text[end + 1:], encoding="utf-8")  # an expected section left out
    first = run(sample_brief, "--to", "md", "-o", tmp_path / "a.md")
    again = run(sample_brief, "--to", "md", "-o", tmp_path / "a.md")
    assert first.rendered and not again.rendered
    assert "warning" in first.err and again.err == first.err
    sample_brief.write_text(text.replace("title: 'Venezuela", "title: [Venezuela", 1), encoding="utf-8")
    for _ in range(2):
        bad = run(sample_brief, "--to", "md", "-o", tmp_path / "b.md")
        assert bad.status == 2 and re.search(r"venezuela\.brief\.yaml:\d+: invalid YAML", bad.err), bad.err


def test_an_unreadable_entry_is_made_again(sample_brief: Path, run, tmp_path: Path) -> None:
    assert run(sample_brief, "--to", "md", "-o", tmp_path / "a.md").rendered
    entries = [p for p in (tmp_path / "cache").glob("plans-*/*") if p.is_file()]
    assert entries
    for entry in entries:
        entry.write_bytes(b"not a pickle")
    again = run(sample_brief, "--to", "md", "-o", tmp_path / "b.md")
    assert again.status == 0 and again.rendered
    assert (tmp_path / "b.md").read_bytes() == (tmp_path / "a.md").read_bytes()
    assert not run(sample_brief, "--to", "md", "-o", tmp_path / "c.md").rendered
