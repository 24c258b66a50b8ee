"""Templates that would run until killed, or crash with a traceback, stop with one message naming
the template file and line, exit 2, and change no file."""

from __future__ import annotations

from pathlib import Path

import pytest
from one_message import assert_one_message, input_hashes

from briefkit.cli import main
from briefkit.render.render_limits import RenderLimits
from briefkit.render.templates import Templates

# name: (template text, extra export options, what the message says, line it names)
CASES: dict[str, tuple[str, list[str], str, int | None]] = {
    "power": ("{{ 10 ** 1000000000 }}\n", [], "too large a number", 1),
    "repeat": ("x\n{{ 'a' * 300000000 }}\n", [], "more than 20 MB of text", 2),
    "list-repeat": ("{{ ([1] * 300000000)|length }}\n", [], "more than 20 MB", 1),
    "range": ("{% for i in range(10**9) %}x{% endfor %}\n", [], "MAX_RANGE", 1),
    "nested-loops": ("{% for i in range(100000) %}\n{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
                     ["--template-time-limit", "0.3"], "ran longer than 0.3 s", None),
    "self-include": ("a\n{% include 'self-include.md.j2' %}\n", [], "calls itself without end", 2),
    "self-extends": ("{% extends 'self-extends.md.j2' %}\n", [], "calls itself without end", 1),
    "recursive-macro": ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(1) }}\n", [],
                        "calls itself without end", 1),
    "recursive-loop": ("{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}\n", [],
                       "calls itself without end", 1),
    "top-level-output": ("a\n{% for i in range(100000) %}{% for j in range(100000) %}{{ 'yyyyyyyyyy' }}"
                         "{% endfor %}{% endfor %}\n", ["--template-max-output", "1"], "more than 1 MB", 2),
    "macro-output": ("{% macro m() %}{% for i in range(100000) %}{% for j in range(100000) %}yyyyyyyyyy"
                     "{% endfor %}{% endfor %}{% endmacro %}\n{{ m() }}\n", ["--template-max-output", "1"],
                     "more than 1 MB", 1),
    "doubling-concat": ("{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
                        "{% endfor %}{{ ns.s|length }}\n", [], "more than 20 MB", 1),
    "doubling-join": ("{% set ns = namespace(s='ab') %}{% for i in range(60) %}"
                      "{% set ns.s = [ns.s, ns.s]|join %}{% endfor %}\n", [], "more than 20 MB", 1),
    "join-of-copies": ("{% set s = 'a' * 1000000 %}{{ ([s] * 1000)|join|length }}\n", [], "more than 20 MB", 1),
    "printf-width": ("{{ '%0999999999d'|format(1) }}\n", [], "more than 20 MB", 1),
    "printf-operator": ("{{ '%0999999999d' % 1 }}\n", [], "more than 20 MB", 1),
    "printf-star": ("{{ '%*d' % (999999999, 1) }}\n", [], "'*' widths", 1),
    "format-width": ("{{ '{:>999999999}'.format(1) }}\n", [], "more than 20 MB", 1),
    "format-copies": ("{% set s = 'a' * 1000000 %}{{ ('{0}' * 1000).format(s)|length }}\n", [],
                      "more than 20 MB", 1),
    "ljust": ("{{ 'x'.ljust(999999999) }}\n", [], "more than 20 MB", 1),
    "center-filter": ("{{ 'x'|center(999999999) }}\n", [], "more than 20 MB", 1),
    "indent-filter": ("{{ ('\\n' * 1000000)|indent(1000) }}\n", [], "more than 20 MB", 1),
    "replace-empty": ("{% set s = 'a' * 100000 %}{{ s.replace('', s)|length }}\n", [], "more than 20 MB", 1),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_runaway_template_is_one_message_naming_its_file_and_line(
    name: str, sample_dir: Path, sample_brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, options, says, line = CASES[name]
    template = sample_dir / "templates" / f"{name}.md.j2"
    template.parent.mkdir(exist_ok=True)
    template.write_text(text, encoding="utf-8")
    before = input_hashes(sample_dir)
    out = tmp_path / "out.md"
    status = main(["export", str(sample_brief), "--to", "md", "-o", str(out), "--template", name, *options])
    assert_one_message(status, capsys.readouterr().err, template, line, says)
    assert not out.exists()
    assert input_hashes(sample_dir) == before


def test_the_limits_leave_every_shipped_template_unchanged(sample_brief: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Ordinary templates (loops, macros, includes, filters) render as before, within the default limits."""
    for name in ("options-memo", "decision-memo", "issue-brief"):
        out = tmp_path / f"{name}.md"
        assert main(["export", str(sample_brief), "--to", "md", "-o", str(out), "--template", name]) == 0
        assert out.stat().st_size > 1000


def test_a_long_brief_can_raise_the_limits(sample_dir: Path, sample_brief: Path, tmp_path: Path) -> None:
    (sample_dir / "templates").mkdir(exist_ok=True)
    (sample_dir / "templates" / "long.md.j2").write_text("{{ 'a' * 3000000 }}\n", encoding="utf-8")
    out = tmp_path / "out.md"
    assert main(["export", str(sample_brief), "--to", "md", "-o", str(out), "--template", "long",
                 "--template-max-output", "2"]) == 2
    assert main(["export", str(sample_brief), "--to", "md", "-o", str(out), "--template", "long",
                 "--template-max-output", "5"]) == 0
    assert out.read_text(encoding="utf-8").count("a") >= 3_000_000


@pytest.mark.parametrize("value", ["0", "-1", "abc", "inf", "nan"])
def test_a_limit_must_be_a_positive_number(value: str, sample_brief: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["export", str(sample_brief), "--to", "md", "--template-time-limit", value])
    assert exit_.value.code == 2
    assert "expected a positive number" in capsys.readouterr().err


def test_the_time_limit_holds_in_a_worker_thread(tmp_path: Path) -> None:
    """The TUI renders in thread workers, where no signal can interrupt a render."""
    import threading

    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "spin.md.j2").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n", encoding="utf-8")
    templates = Templates(tmp_path, RenderLimits(seconds=0.2))
    errors: list[BaseException] = []

    def render() -> None:
        try:
            templates.render("spin", {})
        except BaseException as exc:  # noqa: BLE001 - the test looks at whatever stopped it
            errors.append(exc)

    worker = threading.Thread(target=render)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert [type(e).__name__ for e in errors] == ["TemplateError"]
    assert "ran longer than 0.2 s" in str(errors[0])
