"""Two copies from one brief: the principal's (no analyst notes, no evidence register, no hashes)
and the reviewer's (everything), as each template's `copies:` header says."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefkit.brief.check import library_for
from briefkit.brief.store import load_brief
from briefkit.cli import main
from briefkit.errors import BriefkitError, TemplateError
from briefkit.render.export import export_brief, render_brief
from briefkit.render.templates import Templates, read_info

SHIPPED = [info.name for info in Templates().list() if info.origin == "shipped"]
NOTE = "Analyst’s note"


def _template(folder: Path, header: str, body: str) -> Path:
    path = folder / "templates" / "house.md.j2"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{#- briefkit-template\n" + header + "-#}\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("template", SHIPPED)
def test_the_principals_copy_has_no_notes_register_or_hashes(sample_brief: Path, tmp_path: Path,
                                                             template: str) -> None:
    brief = load_brief(sample_brief)
    library = library_for(brief)
    hashes = [library.source(sid).sha256 for sid in {c.source for _, c in brief.citations()}]
    text = export_brief(brief, "md", tmp_path / "p.md", template=template).read_text(encoding="utf-8")
    assert NOTE not in text
    assert "SHA-256" not in text and "evidence register" not in text
    assert len(hashes) == 5 and not any(h in text for h in hashes)


@pytest.mark.parametrize("template", SHIPPED)
def test_the_reviewers_copy_has_the_register_with_hashes(sample_brief: Path, tmp_path: Path,
                                                        template: str) -> None:
    brief = load_brief(sample_brief)
    text = export_brief(brief, "md", tmp_path / "r.md", template=template, copy="reviewer").read_text("utf-8")
    principal = export_brief(brief, "md", tmp_path / "p.md", template=template).read_text("utf-8")
    assert "Annex: evidence register" in text
    assert text.count("verified against SHA-256") == sum(1 for _ in brief.citations())
    assert len(text) > len(principal)


def test_analyst_notes_print_only_in_the_reviewers_copy(sample_brief: Path, tmp_path: Path) -> None:
    brief = load_brief(sample_brief)
    noted = [c for _, c in brief.citations() if c.note]
    assert noted, "the sample brief has an analyst's note"
    reviewer = export_brief(brief, "md", tmp_path / "r.md", copy="reviewer").read_text("utf-8")
    principal = export_brief(brief, "md", tmp_path / "p.md").read_text("utf-8")
    assert reviewer.count(NOTE) == len(noted)
    assert principal.count(NOTE) == 0


def test_a_template_tests_its_own_parts_with_in_copy(sample_brief: Path, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    brief = load_brief(sample_brief)
    brief.path = folder / "x.brief.yaml"
    brief.library = str(sample_brief.parent)
    _template(folder, "copies:\n  principal: [glance]\n  reviewer: [glance, workings]\n",
              "{{ copy }}{% if in_copy('glance') %} GLANCE{% endif %}{% if in_copy('workings') %} WORK{% endif %}\n")
    assert render_brief(brief, template="house", copy="principal").markdown.strip() == "principal GLANCE"
    assert render_brief(brief, template="house", copy="reviewer").markdown.strip() == "reviewer GLANCE WORK"


def test_a_part_named_in_no_copy_is_a_template_error_at_its_line(sample_brief: Path, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    brief = load_brief(sample_brief)
    brief.path = folder / "x.brief.yaml"
    brief.library = str(sample_brief.parent)
    path = _template(folder, "copies:\n  reviewer: [notes]\n", "Body\n{% if in_copy('noets') %}x{% endif %}\n")
    with pytest.raises(TemplateError, match="part 'noets' is not named") as caught:
        render_brief(brief, template="house")
    assert (caught.value.path, caught.value.line) == (path, 6)


def test_a_template_without_copies_prints_everything_in_both(sample_brief: Path, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    brief = load_brief(sample_brief)
    brief.path = folder / "x.brief.yaml"
    brief.library = str(sample_brief.parent)
    _template(folder, "title: Old house\n", "{% if in_copy('register') %}{{ evidence_appendix() }}{% endif %}\n")
    principal = render_brief(brief, template="house", copy="principal").markdown
    assert principal == render_brief(brief, template="house", copy="reviewer").markdown
    assert "SHA-256" in principal


@pytest.mark.parametrize("header, line, message", [
    ("copies: [notes]\n", 2, "'copies' must map"),
    ("copies:\n  boss: [notes]\n", 3, "unknown copy 'boss'"),
    ("copies:\n  reviewer: notes\n", 3, "must be a list of part names"),
])
def test_a_bad_copies_header_is_reported_at_its_line(tmp_path: Path, header: str, line: int,
                                                     message: str) -> None:
    path = _template(tmp_path, header, "Body\n")
    with pytest.raises(TemplateError, match=message) as caught:
        read_info(path, "brief")
    assert (caught.value.line, caught.value.field) == (line, "copies")


def test_an_unknown_copy_is_refused_before_anything_is_written(sample_brief: Path, tmp_path: Path) -> None:
    with pytest.raises(BriefkitError, match="unknown copy 'boss'"):
        export_brief(load_brief(sample_brief), "md", tmp_path / "o.md", copy="boss")
    assert not (tmp_path / "o.md").exists()


def test_the_cli_exports_the_principals_copy_by_default_and_says_so(
    sample_brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "memo.md"
    assert main(["export", str(sample_brief), "--to", "md", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out} (principal's copy)"
    assert "SHA-256" not in out.read_text("utf-8")
    assert main(["export", str(sample_brief), "--to", "md", "-o", str(out), "--copy", "reviewer"]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out} (reviewer's copy)"
    assert "SHA-256" in out.read_text("utf-8")


def test_the_cli_says_when_a_template_names_no_copies(
    sample_brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    for path in sample_brief.parent.glob("*.*"):
        (folder / path.name).write_bytes(path.read_bytes())
    _template(folder, "title: Old house\n", "## Body\n\n{{ sections.summary }}\n")
    out = tmp_path / "memo.md"
    assert main(["export", str(folder / sample_brief.name), "--to", "md", "-o", str(out), "--template", "house"]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out} (one copy: template 'house' names no copies)"
