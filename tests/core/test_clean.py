"""Removing web-capture clutter: each rule, what it must leave alone, and the five sample sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefkit.library.clean import clean
from briefkit.library.decode import decode_source

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_FILES = sorted(p.name for p in SEEDS.iterdir() if p.suffix in (".txt", ".md"))

PROSE = ("The government has used its control of the Supreme Court to block every parliamentary "
         "initiative, and the opposition has responded with a campaign for a recall referendum.")


def cleaned(name: str) -> tuple[str, list[tuple[str, int, str]]]:
    text, _ = decode_source(SEEDS / name)
    reading, removed = clean(text)
    return reading, [(r.kind, r.line, r.text) for r in removed]


def kinds(text: str) -> list[str]:
    return [r.kind for r in clean(text)[1]]


def test_paragraphs_are_separated_by_exactly_one_blank_line() -> None:
    reading, removed = clean("\n\n  First line.  \nSecond line.\n\n\n\nThird line.\n \u00a0\n")
    assert reading == "First line.\n\nSecond line.\n\nThird line."
    assert removed == []


def test_icon_font_line_is_removed() -> None:
    icons = "icon caret Arrow Down Arrow Left Arrow Right Arrow Up Line Camera icon set Facebook"
    reading, removed = clean(f"{icons}\n{PROSE}")
    assert reading == PROSE
    assert [(r.kind, r.line) for r in removed] == [("icons", 1)]


def test_a_sentence_that_mentions_icons_is_kept() -> None:
    text = "Share the map on Facebook or Twitter, print the PDF, and search the list for a marker."
    assert clean(text)[0] == text


def test_navigation_line_is_removed() -> None:
    assert kinds(f"Follow us on social\n{PROSE}") == ["navigation"]


def test_image_file_name_is_removed() -> None:
    assert kinds(f"Screen-shot-2021-04-02-at-2.09.56-pm\n\n{PROSE}") == ["image-name"]
    assert kinds(f"maduro_padrino.jpg\n{PROSE}") == ["image-name"]


def test_a_date_or_hyphenated_word_is_not_taken_for_an_image_name() -> None:
    for line in ("2021-04-02", "Venezuela-U.S.", "August 6, 2021", "Slow-motion"):
        assert clean(f"{line}\n{PROSE}")[0] == f"{line}\n\n{PROSE}"


@pytest.mark.parametrize("credit", [
    ("Maduro talks to Padrino during a ceremony in Caracas, on 14 July 2016. "
     "REUTERS/Carlos Garcia Rawlins"),
    "Photos: StringerAL and BiksuTong via shutterstock.com",
    "Top image credit: kiuikson via shutterstock.com",
    "Top photo credit: North Korean leader Kim Jong Un visits a farm. KCNA via REUTERS",
])
def test_photo_credits_and_captions_are_removed(credit: str) -> None:
    assert kinds(f"{PROSE}\n\n{credit}\n\n{PROSE[:60]} again.") == ["photo-credit"]


def test_prose_that_mentions_reuters_or_photos_is_kept() -> None:
    for text in (
        ("Photos of the protests, first published by Reuters and AP, showed the guard firing at "
         "crowds; Reuters/Ipsos polling later found most Venezuelans opposed the crackdown."),
        "Most Americans back talks with Caracas, according to a new AP/NORC poll",
    ):
        assert clean(text)[0] == text


def test_immediately_repeated_title_is_removed_once() -> None:
    title = "A Twist in Caracas: Is a Venezuela-U.S. Reboot on the Cards?"
    reading, removed = clean(f"{title}\n{title}\n{PROSE}\n\n{title}\n\n{PROSE[:50]}.")
    assert reading.count(title) == 2  # the later, separate heading stays
    assert [(r.kind, r.line) for r in removed] == [("duplicate-heading", 2)]


def test_pull_quote_repeated_in_the_next_paragraph_is_removed() -> None:
    quote = "The economy has shrunk by more than three quarters since Maduro came to power."
    body = ("At the same time, Maduro has been forced into market reforms. But the economy has "
            "shrunk by more than three quarters since Maduro came to power, and growth is weak.")
    reading, removed = clean(f"{PROSE}\n\n{quote}\n\n{body}")
    assert reading == f"{PROSE}\n\n{body}"
    assert [(r.kind, r.line) for r in removed] == [("pull-quote", 3)]


def test_pull_quote_with_elisions_and_bracketed_words_is_removed() -> None:
    quote = "Venezuela ... has seen [oil] production tumble from around 3.4 million barrels per day."
    body = ("Venezuela, however, has seen production tumble from around 3.4 million barrels per "
            "day at the turn of the century to less than a quarter of that today.")
    assert kinds(f"{quote}\n\n{body}") == ["pull-quote"]


def test_heading_whose_words_recur_in_the_next_paragraph_is_kept() -> None:
    text = f"Back to Negotiations?\n\nWhether talks go back to negotiations is unclear. {PROSE}"
    assert kinds(text) == []


def test_a_short_paragraph_that_the_next_one_does_not_repeat_is_kept() -> None:
    short = "Progress toward a deal is likely to be arduous in these conditions, but possible."
    assert kinds(f"{short}\n\n{PROSE}") == []


def test_read_more_line_is_removed() -> None:
    assert kinds(f"{PROSE}\n\nRead more:") == ["read-more"]


def test_paragraph_broken_mid_sentence_is_joined() -> None:
    reading, removed = clean("Our partners need to play the role of continuing\n\npressure on Maduro.")
    assert reading == "Our partners need to play the role of continuing pressure on Maduro."
    assert [(r.kind, r.line) for r in removed] == [("paragraph-break", 2)]


def test_teaser_block_from_its_image_credit_to_the_end_is_removed() -> None:
    page = [
        PROSE, "Last paragraph of the article.", "Photos: Someone via shutterstock.com",
        "Analysis | Latin America", "Lockheed Martin", "Top image credit: x via shutterstock.com",
        "Wear the war machine", "I wrote a book about Lockheed Martin. It was long.",
        "keep readingShow less", "Other teaser", "More teaser prose. Yes.",
        "keep readingShow less", "Newsletter",
    ]
    reading, removed = clean("\n\n".join(page))
    assert reading == f"{PROSE}\n\nLast paragraph of the article."
    assert removed[0].kind == "photo-credit" and removed[0].text.startswith("Photos:")
    assert len(removed) == 11


def test_crisis_group_page_loses_its_clutter_and_keeps_both_articles() -> None:
    reading, removed = cleaned("crisisgroup-military-and-us-reboot.txt")
    assert [(kind, line) for kind, line, _ in removed] == [
        ("icons", 1), ("duplicate-heading", 3), ("photo-credit", 4), ("photo-credit", 41),
        ("pull-quote", 59), ("pull-quote", 73), ("pull-quote", 93), ("pull-quote", 105),
        ("pull-quote", 115)]
    paragraphs = reading.split("\n\n")
    assert paragraphs[0] == "A Twist in Caracas: Is a Venezuela-U.S. Reboot on the Cards?"
    assert paragraphs[1] == "Slow-motion Coup in Venezuela?"
    second = paragraphs.index("A Twist in Caracas: Is a Venezuela-U.S. Reboot on the Cards?", 1)
    assert second - 2 == 16  # the 2016 article: all sixteen paragraphs
    assert len(paragraphs) - second - 1 == 35  # the 2022 article: headings and paragraphs
    assert paragraphs[-1].startswith("Although a route forward is discernible")


def test_responsible_statecraft_page_ends_with_the_article() -> None:
    reading, removed = cleaned("responsible-statecraft-back-burner.txt")
    paragraphs = reading.split("\n\n")
    assert paragraphs[0] == ("Sooner or later, Biden will need to take Venezuela talks off the "
                             "back burner")
    assert paragraphs[-1].startswith("However politically difficult it may be to change course")
    assert len(paragraphs) == 14
    for clutter in ("keep reading", "Lockheed", "LATEST", "QIOSK", "Newsletter", "Analysis |",
                    "Screen-shot", "Follow us"):
        assert clutter not in reading
    assert removed[0][:2] == ("navigation", 1)
    assert {kind for kind, _, _ in removed} == {
        "navigation", "image-name", "section-label", "photo-credit", "teaser"}


def test_smilde_op_ed_loses_its_read_more_line() -> None:
    reading, removed = cleaned("smilde-maximum-pressure-failed.txt")
    assert removed == [("read-more", 27, "Read more:")]
    assert reading.startswith("David Smilde is professor of sociology")
    assert reading.endswith("signs of progress.")


def test_op_ed_with_single_newline_paragraphs_is_kept_whole() -> None:
    reading, removed = cleaned("oped-2017-plebiscite-group-of-friends.txt")
    assert removed == []
    assert len(reading.split("\n\n")) == 14


@pytest.mark.parametrize("name", SEED_FILES)
def test_every_line_of_a_sample_source_is_kept_or_recorded_as_removed(name: str) -> None:
    text, _ = decode_source(SEEDS / name)
    reading, removed = clean(text)
    recorded = {r.line for r in removed}
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip() and number not in recorded:
            assert line.strip() in reading, f"{name}:{number} lost"
    assert "\n\n\n" not in reading and reading == reading.strip()
    assert all(p and "\n" not in p for p in reading.split("\n\n"))


def test_a_paragraph_repeated_right_after_itself_stays() -> None:
    reading, removed = clean(f"{PROSE}\n\n{PROSE}\n\nThe talks resumed in Mexico City.")
    assert reading == f"{PROSE}\n\n{PROSE}\n\nThe talks resumed in Mexico City."
    assert removed == []


def test_a_subheading_repeated_below_the_top_stays() -> None:
    heading = "Why did this maximum pressure strategy fail?"
    text = f"Title\n\n{PROSE}\n\n{heading}\n\n{heading}\n\n{PROSE}"
    assert clean(text) == (text, [])


def test_a_short_paragraph_repeated_with_a_few_words_added_stays() -> None:
    short = "Progress toward a deal is likely to be arduous in these conditions, but possible."
    text = f"{short}\n\n{short} Few expect one soon."
    assert kinds(text) == []


def test_a_fragment_of_the_next_paragraph_is_not_a_pull_quote() -> None:
    fragment = "administration to return to multilateral diplomacy, coordinating pressure."
    body = f"It is time for the Biden {fragment[:-1]} and engagement with other countries. {PROSE}"
    assert kinds(f"{fragment}\n\n{body}") == []


def test_a_pull_quote_repeats_whole_words_of_the_body() -> None:
    quote = "Port traffic rose by a third in the first half of the year."
    body = f"Airport traffic rose by a third in the first half of the year, while rail fell. {PROSE}"
    assert kinds(f"{quote}\n\n{body}") == []
    assert kinds(f"{quote}\n\n{body.replace('Airport', 'Port')}") == ["pull-quote"]


def test_a_markdown_table_keeps_its_header_row(tmp_path: Path) -> None:
    source = tmp_path / "results.md"
    source.write_text("| Party | Seats |\n|---|---|\n| Socialists | 120 |\n| Greens | 14 |\n\n"
                      f"{PROSE}\n\nWorld | Politics\n\n{PROSE}\n", encoding="utf-8")
    reading, removed = clean(decode_source(source)[0])
    assert reading.split("\n\n")[:3] == ["Party | Seats", "Socialists | 120", "Greens | 14"]
    assert [(r.kind, r.text) for r in removed] == [("section-label", "World | Politics")]


def test_word_table_rows_pass_the_cleaner_unchanged(tmp_path: Path) -> None:
    import docx

    from briefkit.library.ingest.docx import read_docx

    document = docx.Document()
    document.add_paragraph(PROSE)
    table = document.add_table(rows=4, cols=2)
    for r, cells in enumerate([("Party", "Seats"), ("Labour", "Conservative"), ("Yes", "Yes"),
                               ("Yes", "Yes")]):
        for c, value in enumerate(cells):
            table.cell(r, c).text = value
    document.save(str(tmp_path / "t.docx"))
    text = read_docx(tmp_path / "t.docx").text
    assert text is not None and "Party | Seats" in text
    assert clean(text) == (text, [])
