"""Template discovery and copying: messages name the template file's own lines, and a copy never
writes over or into a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefkit.errors import TemplateError
from briefkit.render.templates import Templates, read_info


def _template(folder: Path, header: str) -> Path:
    path = folder / "templates" / "house.md.j2"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{#- briefkit-template\n" + header + "-#}\n## Body\n", encoding="utf-8")
    return path


def test_a_bad_header_value_is_reported_at_its_line_in_the_file(tmp_path: Path) -> None:
    path = _template(tmp_path, "title: House\ndescription: Ours\nissued: 2021-13-45\n")
    with pytest.raises(TemplateError) as caught:
        read_info(path, "brief")
    assert (caught.value.path, caught.value.line) == (path, 4)


def test_sections_that_are_not_a_list_are_reported_at_their_line(tmp_path: Path) -> None:
    path = _template(tmp_path, "title: House\nsections: summary\n")
    with pytest.raises(TemplateError) as caught:
        read_info(path, "brief")
    assert (caught.value.line, caught.value.field) == (3, "sections")


def test_an_unknown_template_names_the_field_it_came_from(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="unknown template 'nope'") as caught:
        Templates(tmp_path).get("nope", field="--template")
    assert caught.value.field == "--template"


@pytest.mark.parametrize("dest", ["notes.txt", "notes.txt/sub", "notes.txt/sub/mine.md.j2"])
def test_a_copy_into_a_file_is_refused_and_the_file_kept(tmp_path: Path, dest: str) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("keep me\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="is not a folder") as caught:
        Templates(tmp_path).copy("options-memo", tmp_path / dest)
    assert caught.value.path == notes
    assert notes.read_text(encoding="utf-8") == "keep me\n"


def test_a_copy_never_replaces_an_existing_template(tmp_path: Path) -> None:
    mine = tmp_path / "mine.md.j2"
    mine.write_text("## Mine\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="already exists"):
        Templates(tmp_path).copy("options-memo", mine)
    assert mine.read_text(encoding="utf-8") == "## Mine\n"
