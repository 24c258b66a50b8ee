"""The command line on the sample library: output, --json, and exit statuses 0 / 1 / 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefkit.brief.store import load_brief
from briefkit.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_sources_lists_the_five_sample_sources(capsys: pytest.CaptureFixture[str], sample_dir: Path) -> None:
    status, out, _ = run(capsys, "sources", "--library", str(sample_dir), "--json")
    assert status == 0
    ids = [row["id"] for row in json.loads(out)]
    assert ids == ["oped-group-of-friends", "crisisgroup-reboot", "fal-redlines", "rs-back-burner",
                   "smilde-max-pressure"]


def test_show_prints_numbered_paragraphs(capsys: pytest.CaptureFixture[str], sample_dir: Path) -> None:
    status, out, _ = run(capsys, "show", "fal-redlines", "--library", str(sample_dir))
    assert status == 0
    assert "[1] Forum for American Leadership" in out
    assert "\n[5] The prospect of a peaceful political settlement" in out


def test_show_unknown_source_suggests_a_close_id(capsys: pytest.CaptureFixture[str], sample_dir: Path) -> None:
    status, _, err = run(capsys, "show", "fal-redline", "--library", str(sample_dir))
    assert status == 2
    assert "unknown source 'fal-redline'" in err
    assert "fal-redlines" in err


def test_search_finds_a_phrase_with_highlights(capsys: pytest.CaptureFixture[str], sample_dir: Path) -> None:
    status, out, _ = run(capsys, "search", '"maximum pressure"', "--library", str(sample_dir), "--json")
    assert status == 0
    hits = json.loads(out)
    assert hits and all("[[maximum pressure]]" in h["snippet"].lower() for h in hits)
    assert (sample_dir / ".briefkit").is_dir()


def test_search_can_be_limited_to_one_source(capsys: pytest.CaptureFixture[str], sample_dir: Path) -> None:
    status, out, _ = run(capsys, "search", "sanctions", "--source", "fal-redlines", "--library",
                         str(sample_dir), "--json")
    assert status == 0
    assert {h["source"] for h in json.loads(out)} == {"fal-redlines"}


def test_check_passes_on_the_sample_brief(capsys: pytest.CaptureFixture[str], sample_brief: Path) -> None:
    status, out, _ = run(capsys, "check", str(sample_brief))
    assert status == 0, out
    assert "15 quotes verified, 0 errors" in out


def test_new_then_cite_builds_a_brief_that_checks(
    capsys: pytest.CaptureFixture[str], sample_dir: Path, tmp_path: Path
) -> None:
    brief = tmp_path / "mine.brief.yaml"
    assert run(capsys, "new", str(brief), "--library", str(sample_dir), "--title", "Mine")[0] == 0
    status, _, err = run(capsys, "cite", str(brief), "--position", "talks", "--create-position",
                         "--source", "smilde-max-pressure", "--quote",
                         "Maduro is stronger than he's ever been")
    assert status == 0, err
    status, _, err = run(capsys, "cite", str(brief), "--position", "talks", "--source", "rs-back-burner",
                         "--quote", "the current \"maximum pressure\" strategy has failed", "--stance",
                         "opposes", "--json")
    assert status == 0, err
    loaded = load_brief(brief)
    quotes = [c.anchor.quote for _, c in loaded.citations()]
    assert quotes == ["Maduro is stronger than he’s ever been",
                      "the current “maximum pressure” strategy has failed"]
    status, out, _ = run(capsys, "check", str(brief), "--json")
    assert status == 0
    codes = {f["code"] for f in json.loads(out)["findings"]}
    # The new brief's prose is still to be written, and an options memo weighs two options or more.
    assert codes == {"expected-sections", "options-with-status-quo"}


def test_cite_of_a_quote_not_in_the_source_is_bad_input(
    capsys: pytest.CaptureFixture[str], sample_brief: Path
) -> None:
    before = sample_brief.read_bytes()
    status, _, err = run(capsys, "cite", str(sample_brief), "--position", "pressure", "--source",
                         "fal-redlines", "--quote", "Sanctions always work")
    assert status == 2
    assert "quote not found" in err
    assert sample_brief.read_bytes() == before


def test_cite_into_an_unknown_position_is_bad_input(capsys: pytest.CaptureFixture[str], sample_brief: Path) -> None:
    status, _, err = run(capsys, "cite", str(sample_brief), "--position", "nope", "--source", "fal-redlines",
                         "--quote", "snapback")
    assert status == 2
    assert "unknown position 'nope'" in err


def test_cite_with_offsets_out_of_range_is_bad_input(capsys: pytest.CaptureFixture[str], sample_brief: Path) -> None:
    status, _, err = run(capsys, "cite", str(sample_brief), "--position", "pressure", "--source",
                         "fal-redlines", "--start", "10", "--end", "99999999")
    assert status == 2
    assert "outside the text of source 'fal-redlines'" in err


def test_check_reports_an_orphaned_quote_with_status_1(
    capsys: pytest.CaptureFixture[str], sample_dir: Path, sample_brief: Path
) -> None:
    source = sample_dir / "smilde-maximum-pressure-failed.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("And few failed as resoundingly.", "And few failed."),
                      encoding="utf-8")
    status, out, _ = run(capsys, "check", str(sample_brief), "--json")
    assert status == 1
    orphans = [f for f in json.loads(out)["findings"] if f["code"] == "orphaned-quote"]
    assert [f["citation"] for f in orphans] == ["smilde-failed"]
    assert orphans[0]["line"] is not None


def test_check_fix_saves_offsets_of_quotes_that_moved(
    capsys: pytest.CaptureFixture[str], sample_dir: Path, sample_brief: Path
) -> None:
    source = sample_dir / "fal-2021-negotiations-redlines.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("## Forum for American Leadership", "## Forum for American Leadership\n\nA new first paragraph."),
                      encoding="utf-8")
    status, out, _ = run(capsys, "check", str(sample_brief))
    assert status == 0
    assert "moved" in out
    status, out, _ = run(capsys, "check", str(sample_brief), "--fix")
    assert "saved new offsets for fal-snapback" in out
    status, out, _ = run(capsys, "check", str(sample_brief), "--json")
    assert json.loads(out)["findings"] == []


def one_quote_brief(capsys: pytest.CaptureFixture[str], sample_dir: Path, brief: Path) -> Path:
    """A new brief on the sample library with one position backed by one quote."""
    run(capsys, "new", str(brief), "--library", str(sample_dir))
    run(capsys, "cite", str(brief), "--position", "p", "--create-position", "--source", "fal-redlines",
        "--quote", "signals weakness to Maduro")
    return brief


def test_check_warns_about_thin_evidence_without_failing(
    capsys: pytest.CaptureFixture[str], sample_dir: Path, tmp_path: Path
) -> None:
    brief = one_quote_brief(capsys, sample_dir, tmp_path / "thin.brief.yaml")
    status, out, _ = run(capsys, "check", str(brief), "--json")
    assert status == 0
    codes = sorted(f["code"] for f in json.loads(out)["findings"] if f["code"] != "expected-sections")
    # The options memo's rules: evidence for and against each option, two options, one the status quo.
    assert codes == ["evidence-for-and-against", "options-with-status-quo", "options-with-status-quo",
                     "single-source"]


def test_check_reports_a_position_without_evidence_with_status_1(
    capsys: pytest.CaptureFixture[str], sample_dir: Path, tmp_path: Path
) -> None:
    brief = tmp_path / "empty.brief.yaml"
    brief.write_text(f"briefkit: 1\ntitle: T\nlibrary: {sample_dir}\npositions:\n  - id: a\n    title: A\n",
                     encoding="utf-8")
    status, out, _ = run(capsys, "check", str(brief))
    assert status == 1
    assert f"{brief}:5: error: position 'a' has no citations" in out


def test_unknown_source_and_unknown_citation_in_prose_are_bad_input(
    capsys: pytest.CaptureFixture[str], sample_dir: Path, tmp_path: Path
) -> None:
    brief = tmp_path / "bad.brief.yaml"
    brief.write_text(
        f"briefkit: 1\ntitle: T\nlibrary: {sample_dir}\nsections:\n  summary: See [@ghost].\npositions:\n"
        "  - id: a\n    title: A\n    citations:\n      - id: c1\n        source: nowhere\n"
        "        quote: q\n        start: 0\n        end: 1\n",
        encoding="utf-8",
    )
    status, out, _ = run(capsys, "check", str(brief))
    assert status == 2
    assert f"{brief}:5: error: section 'summary' cites unknown citation '@ghost'" in out
    assert f"{brief}:10: error: citation 'c1' names unknown source 'nowhere'" in out


def test_check_reads_prose_citations_as_the_export_does(
    capsys: pytest.CaptureFixture[str], sample_dir: Path, tmp_path: Path
) -> None:
    brief = one_quote_brief(capsys, sample_dir, tmp_path / "prose.brief.yaml")
    cite_id = load_brief(brief).positions[0].citations[0].id
    text = brief.read_text(encoding="utf-8")
    prose = (f"As argued [@{cite_id}]. Code `[@g]` is not a citation; [see @{cite_id}] is not either; "
             "[@g] is one, with a one-letter id.")
    brief.write_text(text.replace("sections:\n", f"sections:\n  summary: '{prose}'\n", 1)
                     if "sections:\n" in text else text + f"sections:\n  summary: '{prose}'\n",
                     encoding="utf-8")
    status, out, _ = run(capsys, "check", str(brief), "--json")
    findings = {f["code"]: f["message"] for f in json.loads(out)["findings"]}
    assert status == 2
    assert findings["unknown-citation"] == "section 'summary' cites unknown citation '@g'"
    assert findings["not-a-citation"].startswith(f"section 'summary': [see @{cite_id}] is not a citation")


def test_missing_library_folder_is_bad_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    brief = tmp_path / "b.brief.yaml"
    brief.write_text("briefkit: 1\ntitle: T\nlibrary: no-such-folder\n", encoding="utf-8")
    status, _, err = run(capsys, "check", str(brief))
    assert status == 2
    assert "library folder not found" in err


def test_unreadable_source_file_is_bad_input_naming_the_file(
    capsys: pytest.CaptureFixture[str], sample_dir: Path, sample_brief: Path
) -> None:
    (sample_dir / "fal-2021-negotiations-redlines.md").write_bytes(b"\x00\x01\x02binary\x00" * 100)
    status, out, _ = run(capsys, "check", str(sample_brief))
    assert status == 2
    assert "fal-2021-negotiations-redlines.md" in out


def test_no_traceback_and_status_2_from_a_real_process(tmp_path: Path) -> None:
    bad = tmp_path / "bad.brief.yaml"
    bad.write_text("briefkit: 1\ntitle: [oops\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "briefkit", "check", str(bad)], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"briefkit: error: {bad}:3: invalid YAML")
    assert "Traceback" not in proc.stderr


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["cite"])
    assert info.value.code == 2
    assert capsys.readouterr().err.splitlines() == [
        ("briefkit: error: the following arguments are required: BRIEF, --position, --source "
         "(see 'briefkit cite --help')")]


@pytest.mark.parametrize("limit", ["0", "-3", "10001", str(10**30), "2.5", "many"])
def test_a_search_limit_outside_1_to_10000_is_one_message_naming_limit(
    capsys: pytest.CaptureFixture[str], sample_dir: Path, limit: str
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["search", "sanctions", "--limit", limit, "--library", str(sample_dir)])
    assert info.value.code == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("briefkit: error: argument --limit: expected a whole number from 1 to 10,000")


@pytest.mark.parametrize(("option", "argv"), [
    ("--id", ["--position", "pressure", "--id", "bad id!"]),
    ("--position", ["--position", "bad pos/..", "--create-position"]),
    ("--id", ["--position", "pressure", "--id", "bad\nid"]),
    ("--position", ["--position", "p\x0cq\u2028r", "--create-position"]),
])
def test_cite_refuses_an_invalid_id_before_touching_the_brief(
        capsys: pytest.CaptureFixture[str], sample_brief: Path, option: str, argv: list[str]) -> None:
    before = sample_brief.read_bytes()
    status, out, err = run(capsys, "cite", str(sample_brief), "--source", "fal-redlines",
                           "--quote", "Washington should prepare", *argv)
    assert status == 2 and out == ""
    assert err.startswith(f"briefkit: error: {option}: '") and "is not a valid id" in err
    assert err.count("\n") == 1
    assert sample_brief.read_bytes() == before
