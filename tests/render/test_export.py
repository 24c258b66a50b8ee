"""The export pipeline end to end: templates, verified quotes, footnotes, both writers, bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from briefkit.brief.store import load_brief, save_brief
from briefkit.cli import main
from briefkit.errors import BriefkitError, ExportError, TemplateError
from briefkit.render.export import export_brief, render_brief
from briefkit.render.templates import Templates

TEMPLATES = ("options-memo", "issue-brief", "decision-memo", "action-memo", "submission", "policy-brief")


def pandoc_json(path: Path, fmt: str) -> dict:
    """pandoc's reading of an export (an independent reader); skipped where pandoc is not installed."""
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed (apt-get install -y pandoc); CI installs it")
    out = subprocess.run(["pandoc", "-f", fmt, "-t", "json", str(path)], capture_output=True, check=True)
    return json.loads(out.stdout)


def walk(node: object, kind: str) -> list[dict]:
    """Every pandoc AST element of type `kind`, in document order."""
    found: list[dict] = []
    if isinstance(node, dict):
        if node.get("t") == kind:
            found.append(node)
        for value in node.values():
            found.extend(walk(value, kind))
    elif isinstance(node, list):
        for item in node:
            found.extend(walk(item, kind))
    return found


def plain(node: object) -> str:
    """The text of a pandoc AST fragment."""
    if isinstance(node, dict):
        t = node.get("t")
        if t == "Str":
            return str(node["c"])
        if t in ("Space", "SoftBreak"):
            return " "
        if t == "Note":
            return ""
        if t == "Quoted":
            marks = "“”" if node["c"][0]["t"] == "DoubleQuote" else "‘’"
            return marks[0] + plain(node["c"][1]) + marks[1]
        if t is None:
            return plain(node.get("blocks"))
        return plain(node.get("c"))
    if isinstance(node, list):
        return "".join(plain(n) for n in node)
    return ""


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_every_template_exports_the_sample_with_every_quote_footnoted(
    sample_brief: Path, tmp_path: Path, template: str, fmt: str
) -> None:
    brief = load_brief(sample_brief)
    rendered = render_brief(brief, template=template, copy="principal")
    out = export_brief(brief, fmt, tmp_path / f"out.{fmt}", template=template)
    ast = pandoc_json(out, "docx" if fmt == "docx" else "markdown")
    notes = walk(ast, "Note")
    assert len(notes) == len(rendered.document.notes) > 0
    text = plain(ast)
    printed = [c for _, c in brief.citations() if c.anchor.quote in rendered.verbatim.values()]
    assert printed
    for cite in printed:
        assert cite.anchor.quote in text, cite.id


def test_options_memo_notes_are_full_then_short_chicago(sample_brief: Path, tmp_path: Path) -> None:
    out = export_brief(load_brief(sample_brief), "md", tmp_path / "memo.md")
    notes = [plain(n["c"]) for n in walk(pandoc_json(out, "markdown"), "Note")]
    fal = [n for n in notes if "Forum for American Leadership" in n]
    assert fal[0].startswith("Forum for American Leadership, Venezuela: Negotiations, Leverage, and U.S. Redlines")
    assert "2021" in fal[0]
    assert any(n.startswith("Forum for American Leadership, Venezuela,") or "2021" not in n for n in fal[1:])
    assert all(n.endswith(".") for n in notes)
    assert all("para." in n for n in notes)


def test_evidence_matrix_and_register_are_in_the_options_memo(sample_brief: Path, tmp_path: Path) -> None:
    out = export_brief(load_brief(sample_brief), "docx", tmp_path / "memo.docx", copy="reviewer")
    document = docx.Document(str(out))
    assert len(document.tables) == 1
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert header == ["Source", *(p.title for p in load_brief(sample_brief).positions)]
    assert len(document.tables[0].rows) == 1 + 5
    text = "\n".join(p.text for p in document.paragraphs)
    assert "verified against SHA-256" in text
    props = document.core_properties
    assert props.title == "Venezuela: Options for U.S. Policy"
    assert props.author == "A. Analyst"


def test_docx_notes_are_real_word_footnotes(sample_brief: Path, tmp_path: Path) -> None:
    out = export_brief(load_brief(sample_brief), "docx", tmp_path / "memo.docx")
    with zipfile.ZipFile(out) as z:
        footnotes = z.read("word/footnotes.xml").decode()
        body = z.read("word/document.xml").decode()
    assert body.count("<w:footnoteReference") == footnotes.count("<w:footnoteRef/>")
    md = pandoc_json(out, "docx")
    assert len(walk(md, "Note")) == body.count("<w:footnoteReference")


def test_orphaned_quote_stops_the_export_and_names_the_citation(sample_dir: Path, sample_brief: Path,
                                                                tmp_path: Path) -> None:
    src = sample_dir / "smilde-maximum-pressure-failed.txt"
    src.write_text(src.read_text(encoding="utf-8").replace("failed as resoundingly", "failed so badly"),
                   encoding="utf-8")
    good = tmp_path / "memo.docx"
    good.write_bytes(b"an earlier good export")
    with pytest.raises(ExportError, match="'smilde-failed'"):
        export_brief(load_brief(sample_brief), "docx", good)
    assert good.read_bytes() == b"an earlier good export"


def test_allow_unverified_marks_the_quote_visibly(sample_dir: Path, sample_brief: Path, tmp_path: Path) -> None:
    src = sample_dir / "smilde-maximum-pressure-failed.txt"
    src.write_text(src.read_text(encoding="utf-8").replace("failed as resoundingly", "failed so badly"),
                   encoding="utf-8")
    out = export_brief(load_brief(sample_brief), "md", tmp_path / "memo.md", allow_unverified=True)
    text = out.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if "arrogant and ill-conceived" in ln)
    assert "UNVERIFIED" in line
    docx_out = export_brief(load_brief(sample_brief), "docx", tmp_path / "memo.docx", allow_unverified=True)
    body = "\n".join(p.text for p in docx.Document(str(docx_out)).paragraphs)
    assert "[UNVERIFIED]" in body


def test_quote_with_markdown_specials_prints_literally(sample_dir: Path, sample_brief: Path, tmp_path: Path) -> None:
    src = sample_dir / "oped-2017-plebiscite-group-of-friends.txt"
    tricky = "The United States must stay at the margins."
    src.write_text(src.read_text(encoding="utf-8").replace(
        tricky, "The *United* States_ [must] <stay> #at the > margins."), encoding="utf-8")
    brief = load_brief(sample_brief)
    # re-cite the changed sentence so the quote itself holds every special character
    from briefkit.brief.anchoring import anchor_quote
    from briefkit.brief.check import library_for

    text = library_for(brief).source("oped-group-of-friends").text
    cite = brief.find_citation("oped-margins")
    assert cite is not None
    cite[1].anchor = anchor_quote(text, "The *United* States_ [must] <stay> #at the > margins.")
    save_brief(brief)
    out = export_brief(load_brief(sample_brief), "md", tmp_path / "memo.md")
    assert "The *United* States_ [must] <stay> #at the > margins." in plain(pandoc_json(out, "markdown"))
    docx_out = export_brief(load_brief(sample_brief), "docx", tmp_path / "memo.docx")
    assert "The *United* States_ [must] <stay> #at the > margins." in plain(pandoc_json(docx_out, "docx"))


def test_house_reference_docx_styles_are_used(sample_brief: Path, tmp_path: Path) -> None:
    from docx.shared import RGBColor

    ref = docx.Document()
    ref.styles["Heading 2"].font.color.rgb = RGBColor(0xAA, 0x00, 0x00)
    ref.styles["Normal"].font.name = "Georgia"
    ref_path = tmp_path / "house.docx"
    ref.save(str(ref_path))
    out = export_brief(load_brief(sample_brief), "docx", tmp_path / "memo.docx", reference_doc=ref_path)
    result = docx.Document(str(out))
    assert result.styles["Heading 2"].font.color.rgb == RGBColor(0xAA, 0x00, 0x00)
    assert result.styles["Normal"].font.name == "Georgia"
    assert any(p.style.name == "Heading 2" for p in result.paragraphs)


# Templates ----------------------------------------------------------------------------------------


def test_shipped_templates_are_listed_with_descriptions(tmp_path: Path) -> None:
    infos = {i.name: i for i in Templates(tmp_path).list()}
    assert set(TEMPLATES) <= set(infos)
    assert all(infos[n].description and infos[n].origin == "shipped" for n in TEMPLATES)
    assert infos["options-memo"].sections == ("summary", "background", "recommendation")


def test_a_template_beside_the_brief_overrides_the_shipped_one(sample_brief: Path, tmp_path: Path) -> None:
    folder = sample_brief.parent / "templates"
    folder.mkdir()
    (folder / "options-memo.md.j2").write_text(
        "{#- briefkit-template\ntitle: House memo\n-#}\n# House\n\n{{ blockquote(citations[0]) }}\n",
        encoding="utf-8")
    info = Templates(sample_brief.parent).get("options-memo")
    assert (info.origin, info.title) == ("brief", "House memo")
    rendered = render_brief(load_brief(sample_brief))
    assert len(rendered.document.notes) == 1


@pytest.mark.parametrize(
    ("body", "expected", "line"),
    [
        ("{% for p in positions %}\n{{ p.title }\n", "template syntax error", 4),
        ("ok\n\n{{ nothing_here }}\n", "'nothing_here' is undefined", 5),
        ("{{ positions[0].__class__.__mro__ }}\n", "not allowed in a template", 3),
        ("{{ cite('no-such-citation') }}\n", "unknown citation 'no-such-citation'", 3),
    ],
)
def test_template_errors_name_the_template_and_line(
    sample_brief: Path, body: str, expected: str, line: int
) -> None:
    folder = sample_brief.parent / "templates"
    folder.mkdir()
    path = folder / "broken.md.j2"
    path.write_text("{#- briefkit-template\n-#}\n" + body, encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        render_brief(load_brief(sample_brief), template="broken")
    assert expected in str(info.value)
    assert info.value.path == path
    assert info.value.line == line


def test_unknown_template_lists_the_available_ones(sample_brief: Path) -> None:
    with pytest.raises(TemplateError, match="unknown template 'memo'.*options-memo"):
        render_brief(load_brief(sample_brief), template="memo")


def test_templates_copy_starts_a_house_template(sample_brief: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = sample_brief.parent / "templates"
    assert main(["templates", "copy", "options-memo", str(dest)]) == 0
    assert (dest / "options-memo.md.j2").is_file()
    assert (dest / "_evidence.md.j2").is_file()
    capsys.readouterr()
    assert main(["templates", "--brief-dir", str(sample_brief.parent), "--json"]) == 0
    listed = {t["name"]: t["origin"] for t in json.loads(capsys.readouterr().out)}
    assert listed["options-memo"] == "brief"
    assert main(["templates", "copy", "options-memo", str(dest)]) == 2


# CLI bad input ------------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().err


def test_export_cli_writes_the_file_and_reports_it(sample_brief: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "b.docx"
    assert main(["export", str(sample_brief), "--to", "docx", "-o", str(out), "--no-page-count"]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out} (principal's copy)"
    assert zipfile.is_zipfile(out)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--template", "nope"], "unknown template 'nope'"),
        (["--style", "no-such-style"], "unknown citation style 'no-such-style'"),
        (["-o", "/no/such/folder/out.docx"], "output folder does not exist"),
    ],
)
def test_export_bad_input_is_one_message_and_status_2(
    sample_brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], expected: str
) -> None:
    args = ["export", str(sample_brief), "--to", "docx"]
    if "-o" not in extra:
        args += ["-o", str(tmp_path / "out.docx")]
    status, err = run(capsys, *args, *extra)
    assert status == 2
    assert expected in err
    assert "Traceback" not in err
    assert not (tmp_path / "out.docx").exists()


def test_reference_doc_that_is_not_a_word_file_is_refused(sample_brief: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip", encoding="utf-8")
    status, err = run(capsys, "export", str(sample_brief), "--to", "docx", "-o", str(tmp_path / "o.docx"),
                      "--reference-doc", str(fake))
    assert status == 2
    assert "fake.docx" in err
    assert not (tmp_path / "o.docx").exists()


def test_unwritable_output_folder_is_refused(sample_brief: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    if os.geteuid() == 0:  # root writes anywhere a mode allows; sysfs refuses new files to everyone
        locked = Path("/sys")
    status, err = run(capsys, "export", str(sample_brief), "--to", "md", "-o", str(locked / "o.md"))
    assert status == 2
    assert "cannot write" in err


def test_control_characters_in_prose_never_reach_the_output(sample_brief: Path, tmp_path: Path) -> None:
    brief = load_brief(sample_brief)
    brief.sections["summary"] = "Bell\x07 and\x0b vertical tab [@smilde-failed]."
    out = export_brief(brief, "docx", tmp_path / "o.docx")
    with zipfile.ZipFile(out) as z:
        body = z.read("word/document.xml").decode()
    assert "\x07" not in body and "\x0b" not in body
    md = export_brief(brief, "md", tmp_path / "o.md").read_text(encoding="utf-8")
    assert "\x07" not in md


def test_a_house_csl_file_named_in_the_brief_is_found_beside_the_brief(
        sample_brief: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`style: house.csl` in a brief means the file beside the brief, wherever the command runs
    (as `library:` does); a --style file stays relative to where the command runs."""
    from briefkit.render.csl.styles import resolve_style

    house = sample_brief.parent / "house.csl"
    house.write_bytes(resolve_style("modern-language-association-notes").read_bytes())
    brief = load_brief(sample_brief)
    brief.style = "house.csl"
    save_brief(brief)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    house_md = export_brief(load_brief(sample_brief), "md", tmp_path / "house.md").read_text()
    mla_md = export_brief(load_brief(sample_brief), "md", tmp_path / "mla.md",
                          style="modern-language-association-notes").read_text()
    assert house_md == mla_md
    with pytest.raises(BriefkitError, match="citation style file not found: house.csl"):
        export_brief(load_brief(sample_brief), "md", tmp_path / "x.md", style="house.csl")
