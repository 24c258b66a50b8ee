"""Citations and bibliographies against the oracle: every citation of the corpus
(citeproc_corpus/items.json, 63 sources; 142 citations) and every bibliography entry, compared one
by one with what `pandoc --citeproc` (2.17.1.1) printed for the same CSL-JSON and .csl file
(recorded by `python bench/bench_citeproc.py --record`). The counts are pinned: a fix raises one
(update it here), a regression fails.

Where pandoc 2.17 is the one that is wrong, briefkit keeps the right output and the citation counts
as different here: it formats page-range locators and knows `chicago-16` page ranges (CSL 1.0.2;
pandoc leaves "101-108" and "1041–1043" as written); it has the newer locale terms "no." and
"Hearing on" and the verb "testimony of" (pandoc 2.17's locale lacks them, as it lacks
"personal-communication", "number-of-volumes" ("5 vols") and the type terms ("[Dataset]")); it
labels a page range "pp." in MHRA (pandoc prints "p. 50–76"); a cite without a locator is no page
locator (pandoc's Chicago short note prints a lone "8" for "vol. 8"); OSCOLA's cases and legislation,
whose first sort key is empty, file last as CSL 1.0.2 says (pandoc puts them first).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from citeproc_oracle import CORPUS, STYLES, briefkit_output, pandoc_order, pandoc_reasons

from briefkit.render.document import Bibliography, Document, Meta, Paragraph, Text
from briefkit.render.references import REFS, place_bibliography

# identical citations, identical bibliography entries (of 142 citations; entries as pandoc lists)
IDENTICAL = {
    "chicago-notes-bibliography": (117, 47),
    "chicago-notes-bibliography-17th-edition": (117, 49),
    "chicago-notes-bibliography-subsequent-ibid": (117, 47),
    "mhra-notes": (122, 49),
    "modern-language-association-notes": (142, 53),
    "oscola": (137, 51),
    "apa": (140, 52),
}


# differences that no shortcoming of pandoc 2.17 explains (citeproc_oracle.PANDOC_2_17 and
# PANDOC_2_17_ORDER): briefkit's
UNEXPLAINED = dict.fromkeys(IDENTICAL, 0)


def test_every_style_of_the_oracle_has_a_pinned_count() -> None:
    assert set(IDENTICAL) == set(STYLES) == set(UNEXPLAINED)


@pytest.mark.parametrize("style", STYLES)
def test_every_other_difference_is_one_pandoc_2_17_is_known_to_make(style: str) -> None:
    expected = json.loads((CORPUS / f"{style}.json").read_text(encoding="utf-8"))
    got = briefkit_output(style)
    ordered = {"notes": got["notes"], "bibliography": pandoc_order(style, got["bibliography"])}
    unexplained = [
        (part, index)
        for part in ("notes", "bibliography")
        for index, (ours, theirs) in enumerate(zip(ordered[part], expected[part]))
        if ours != theirs and pandoc_reasons(ours, theirs) is None
    ]
    assert len(unexplained) == UNEXPLAINED[style], unexplained


@pytest.mark.parametrize("style", STYLES)
def test_citations_and_bibliography_match_pandoc_citeproc_as_counted(style: str) -> None:
    expected = json.loads((CORPUS / f"{style}.json").read_text(encoding="utf-8"))
    got = briefkit_output(style)
    assert len(got["notes"]) == len(expected["notes"]) == 142
    same = tuple(
        sum(a == b for a, b in zip(got[part], expected[part])) for part in ("notes", "bibliography")
    )
    assert same == IDENTICAL[style]


def test_an_author_date_style_sorts_the_sources_of_one_citation_and_adds_no_period() -> None:
    notes = briefkit_output("apa")["notes"]
    assert notes[139] == "(Corrales & Penfold, 2015, pp. 1496–1504; Hawkins, 2003, pp. 1321–1328)"
    assert notes[140] == "(Seelke, 2023, para. 2; van den Berg, 2009, p. 7; *Venezuela Program*, n.d.)"
    assert notes[0] == "(Seelke, 2023, para. 3)"


def test_editors_stand_in_for_a_missing_author_with_the_authors_name_options() -> None:
    notes = briefkit_output("chicago-notes-bibliography")["notes"]
    assert notes[25] == "Marta Ruiz and Erik Holm, eds., *Sanctions and Their Discontents* (Routledge, 2022), 3."


def test_an_apostrophe_in_a_single_quoted_title_stays_an_apostrophe() -> None:
    notes = briefkit_output("mhra-notes")["notes"]
    assert "‘How to Stop Venezuela’s Slide into Civil War’" in notes[13]


def test_page_ranges_follow_the_style_for_every_source_not_only_the_first() -> None:
    notes = briefkit_output("mhra-notes")["notes"]
    assert "pp. 1–25 (p. 3)" in notes[36] and "pp. 172–86 (p. 3)" in notes[40]


def test_a_hearing_without_a_witness_prints_no_empty_testimony_of() -> None:
    notes = briefkit_output("chicago-notes-bibliography")["notes"]
    assert notes[7] == "*U.S. Policy toward Venezuela* (2018), 3."


def test_small_caps_from_the_style_and_from_sc_markup_are_kept() -> None:
    notes = briefkit_output("mhra-notes")["notes"]
    assert "[cxxviii]{.smallcaps}, p. 3011" in notes[9]
    assert "The Press and the [PSUV]{.smallcaps}’" in notes[41]


def test_small_caps_are_written_as_a_pandoc_span_and_a_word_run_property() -> None:
    from briefkit.render.document import SmallCaps
    from briefkit.render.docx import write_docx
    from briefkit.render.markdown import write_markdown

    doc = Document(Meta(), [Paragraph([Text("The "), SmallCaps([Text("PSUV")])])], [])
    assert "The [PSUV]{.smallcaps}" in write_markdown(doc)
    import io
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(write_docx(doc))).read("word/document.xml").decode()
    assert "<w:rPr><w:smallCaps/></w:rPr><w:t>PSUV</w:t>" in xml


def test_a_label_is_plural_only_for_a_numeric_value_with_several_numbers() -> None:
    notes = briefkit_output("chicago-notes-bibliography")["notes"]
    assert "Pub. L. No. Pub. L. 113-278" in notes[9]  # "Nos." before: two digit runs


def test_sources_of_the_same_author_and_year_get_year_suffixes_in_bibliography_order() -> None:
    found = briefkit_output("apa")
    assert found["notes"][44] == "(Kravitz, 2019a, p. 3)"  # "Exile Politics" files first
    assert found["notes"][43] == "(Kravitz, 2019b, p. 3)"
    assert any(e.startswith("Kravitz, E. M. (2019a). Exile Politics") for e in found["bibliography"])


def test_two_works_of_one_author_that_would_cite_alike_add_their_titles() -> None:
    mla = briefkit_output("modern-language-association-notes")["notes"]
    assert mla[43] == "Kravitz, “Oil Rents and Regime Survival” 3."
    oscola = briefkit_output("oscola")["notes"]  # "(n 44)" already tells them apart
    assert oscola[106] == "Kravitz (n 44) 101–108."


def test_a_chinese_name_reads_family_name_first_without_a_space() -> None:
    found = briefkit_output("chicago-notes-bibliography")
    assert found["notes"][31].startswith("王晓梅, *委内瑞拉石油政治研究*")
    assert found["notes"][94].startswith("王, ")
    assert "王晓梅. *委内瑞拉石油政治研究*. 社会科学文献出版社, 2018." in found["bibliography"]


def test_authors_of_one_family_name_are_told_apart_by_initials_as_the_style_rules() -> None:
    assert briefkit_output("apa")["notes"][38] == "(F. Rodríguez, 2022, p. 3)"  # every name
    assert briefkit_output("modern-language-association-notes")["notes"][48] == (
        "J. Rodríguez, par. 3."  # by cite: "Rodríguez, par. 3." would read as Francisco's
    )
    chicago = briefkit_output("chicago-notes-bibliography")["notes"]
    assert chicago[111].startswith("Rodríguez, “Opening Statements")  # the title tells them apart


def test_mhra_substitutes_a_repeated_first_author_only_partial_first() -> None:
    entries = briefkit_output("mhra-notes")["bibliography"]
    assert "——, and Erik Holm (eds), *Sanctions and Their Discontents* (Routledge, 2022)" in entries
    assert any(e.startswith("Bahar, Dany, and others, ‘Mortality") for e in entries)


def test_a_style_that_collapses_by_year_prints_one_authors_names_once() -> None:
    notes = briefkit_output("apa")["notes"]
    assert notes[131] == "(Corrales & Penfold, 2015, p. 2; 2015, p. 9)"
    assert notes[133] == "(Kravitz, 2019b, p. 201; 2019a, p. 5)"


def test_a_season_is_printed_with_its_year() -> None:
    assert "Spring 2018" in briefkit_output("chicago-notes-bibliography")["notes"][19]


def test_the_bibliography_goes_where_the_template_marks_it() -> None:
    doc = Document(Meta(), [Paragraph([Text("Body")]), Paragraph([Text(" ".join(REFS.split()))]),
                            Paragraph([Text("After")])], [])
    place_bibliography(doc, lambda library: [[Text("Entry.")]], "Bibliography")
    assert doc.blocks[1] == Bibliography("Bibliography", [[Text("Entry.")]])
    assert doc.blocks[2] == Paragraph([Text("After")])


def test_without_a_marker_the_bibliography_goes_at_the_end_and_a_style_without_one_adds_none() -> None:
    doc = Document(Meta(), [Paragraph([Text("Body")])], [])
    place_bibliography(doc, lambda library: [[Text("Entry.")]], "References")
    assert doc.blocks[-1] == Bibliography("References", [[Text("Entry.")]])
    bare = Document(Meta(), [Paragraph([Text("Body")])], [])
    place_bibliography(bare, lambda library: [], "References")
    assert bare.blocks == [Paragraph([Text("Body")])]


def test_an_apa_export_cites_in_the_text_and_lists_references(sample_brief: Path) -> None:
    from briefkit.brief.store import load_brief
    from briefkit.render.export import render_brief
    from briefkit.render.markdown import write_markdown

    rendered = render_brief(load_brief(sample_brief), style="apa")
    text = write_markdown(rendered.document)
    assert "(Forum for American Leadership, 2021, para. 5)" in text
    assert "[^" not in text.split("## References")[0].split("Forum for American Leadership, 2021")[0]
    assert "## References" in text
    assert "Forum for American Leadership. (2021). *Venezuela: Negotiations" in text


def test_a_notes_export_ends_with_the_bibliography_in_docx_with_a_hanging_indent(
    sample_brief: Path,
) -> None:
    from briefkit.brief.store import load_brief
    from briefkit.render.docx import write_docx
    from briefkit.render.export import render_brief

    rendered = render_brief(load_brief(sample_brief))
    bibliography = [b for b in rendered.document.blocks if isinstance(b, Bibliography)]
    assert len(bibliography) == 1 and bibliography[0].title == "Bibliography"
    assert len(bibliography[0].entries) == 5
    import io
    import zipfile

    data = write_docx(rendered.document)
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert 'w:styleId="Bibliography"' in styles and 'w:hanging="720"' in styles
    assert document.count('<w:pStyle w:val="Bibliography"/>') == 5


def test_a_locator_written_in_prose_takes_precedence_over_the_quotes_own(sample_brief: Path) -> None:
    from briefkit.brief.store import load_brief
    from briefkit.render.export import render_brief
    from briefkit.render.markdown import write_markdown

    text = sample_brief.read_text(encoding="utf-8")
    assert "[@smilde-failed]" in text
    sample_brief.write_text(
        text.replace("[@smilde-failed]", "[@smilde-failed, para. 99] [@smilde-failed, para. 98]", 1),
        encoding="utf-8",
    )
    rendered = render_brief(
        load_brief(sample_brief), style="chicago-notes-bibliography-subsequent-ibid"
    )
    notes = write_markdown(rendered.document).split("[^1]: ", 1)[1]
    assert notes.startswith("David Smilde, *[Op-Ed on Why the Maximum Pressure Strategy Toward "
                            "Venezuela Failed]*, n.d., para. 99.\n\n[^2]: Ibid., para. 98.")


def test_a_names_label_is_no_part_of_a_sort_key() -> None:
    entries = briefkit_output("oscola")["bibliography"]
    edited = entries.index(next(e for e in entries if e.startswith("Smilde D and Hellinger D (eds)")))
    assert entries[edited + 1].startswith("Smilde D and Ramsey G")  # "(eds)" once filed it after


def test_an_empty_sort_key_files_last() -> None:
    entries = briefkit_output("oscola")["bibliography"]  # OSCOLA's author key is empty for these
    assert entries[-4].startswith("Venezuela Defense of Human Rights and Civil Society Act of 2014")
    assert entries[-1].startswith("*Maduro Board of the Central Bank")


def test_a_number_of_volumes_is_labelled_as_the_style_says() -> None:
    assert "*Historia de Venezuela* (Vols. 1–5). Italgráfica." in briefkit_output("apa")["bibliography"][25]
    assert "*Historia de Venezuela*. 5 vols. Italgráfica" in (
        briefkit_output("chicago-notes-bibliography")["bibliography"][26]
    )


def test_a_cite_without_a_locator_is_no_page_locator() -> None:
    notes = briefkit_output("chicago-notes-bibliography")["notes"]
    assert notes[91] == "Bethell, *The Cambridge History of Latin America*, vol. 8."
