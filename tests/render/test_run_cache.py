"""The run cache skips only what has not changed: a style check passed on the same bytes by the
same checker, a template compiled from the same text; a bad file fails every time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefkit.errors import BriefkitError
from briefkit.render import run_cache
from briefkit.render.csl.styles import Style, resolve_style


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BRIEFKIT_CACHE", str(folder))
    return folder


def test_a_check_passed_on_the_same_bytes_is_not_run_again(tmp_path: Path) -> None:
    checker = tmp_path / "checker.py"
    checker.write_text("v1", encoding="utf-8")
    runs: list[bytes] = []
    for data in (b"style", b"style", b"other", b"style"):
        run_cache.check_once(data, lambda data=data: runs.append(data), checker)
    assert runs == [b"style", b"other"]
    checker.write_text("v2", encoding="utf-8")  # a newer checker judges again
    run_cache.check_once(b"style", lambda: runs.append(b"again"), checker)
    assert runs[-1] == b"again"


def test_a_failed_check_is_never_remembered(tmp_path: Path) -> None:
    checker = tmp_path / "checker.py"
    checker.write_text("v1", encoding="utf-8")
    calls = 0

    def fail() -> None:
        nonlocal calls
        calls += 1
        raise BriefkitError("bad style")

    for _ in range(2):
        with pytest.raises(BriefkitError, match="bad style"):
            run_cache.check_once(b"bad", fail, checker)
    assert calls == 2


def test_a_style_made_bad_after_passing_is_refused(tmp_path: Path) -> None:
    good = resolve_style("chicago-notes-bibliography").read_text(encoding="utf-8")
    path = tmp_path / "house.csl"
    path.write_text(good, encoding="utf-8")
    Style(path)
    path.write_text(good.replace("<text macro=", "<text macro-typo=", 1), encoding="utf-8")
    with pytest.raises(BriefkitError) as caught:
        Style(path)
    assert caught.value.path == path


def test_a_cache_that_cannot_be_written_is_no_cache(cache: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        cache.write_text("a file where the folder should be", encoding="utf-8")
    else:
        cache.mkdir()
        cache.chmod(0o500)
    checker = tmp_path / "checker.py"
    checker.write_text("v1", encoding="utf-8")
    runs: list[int] = []
    for _ in range(2):
        run_cache.check_once(b"x", lambda: runs.append(1), checker)
    assert runs == [1, 1]


def test_an_edited_template_renders_its_new_text(sample_brief: Path, tmp_path: Path) -> None:
    from briefkit.brief.store import load_brief
    from briefkit.render.export import render_brief

    folder = tmp_path / "b"
    (folder / "templates").mkdir(parents=True)
    brief = load_brief(sample_brief)
    brief.path = folder / "x.brief.yaml"
    brief.library = str(sample_brief.parent)
    template = folder / "templates" / "house.md.j2"
    for text in ("First {{ brief.title }}\n", "Second {{ brief.title }}\n"):
        template.write_text(text, encoding="utf-8")
        assert render_brief(brief, template="house").markdown.startswith(text.split()[0])


def test_cached_notes_are_the_notes_citeproc_makes(sample_brief: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from briefkit.brief.store import load_brief
    from briefkit.render.export import export_brief

    brief = load_brief(sample_brief)
    first = export_brief(brief, "md", tmp_path / "first.md").read_text(encoding="utf-8")
    again = export_brief(brief, "md", tmp_path / "again.md").read_text(encoding="utf-8")
    monkeypatch.setenv("BRIEFKIT_CACHE", str(tmp_path / "fresh"))
    fresh = export_brief(brief, "md", tmp_path / "fresh.md").read_text(encoding="utf-8")
    assert first == again == fresh
    assert "[^1]:" in fresh and "Bibliography" in fresh


def test_changed_metadata_or_style_is_formatted_anew(sample_brief: Path, tmp_path: Path) -> None:
    from briefkit.brief.store import load_brief
    from briefkit.render.export import export_brief

    folder = tmp_path / "lib"
    folder.mkdir()
    for path in sample_brief.parent.glob("*.*"):
        (folder / path.name).write_bytes(path.read_bytes())
    brief_path = folder / sample_brief.name
    before = export_brief(load_brief(brief_path), "md", tmp_path / "a.md").read_text(encoding="utf-8")
    sources = folder / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace(
        "Forum for American Leadership", "Forum for Atlantic Leadership"), encoding="utf-8")
    after = export_brief(load_brief(brief_path), "md", tmp_path / "b.md").read_text(encoding="utf-8")
    assert "Forum for Atlantic Leadership" in after and "Forum for Atlantic Leadership" not in before
    apa = export_brief(load_brief(brief_path), "md", tmp_path / "c.md", style="apa").read_text(encoding="utf-8")
    assert apa != after and before != after
