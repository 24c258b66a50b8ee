"""The page estimate against LibreOffice's rendering of the exported DOCX, for every shipped template."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefkit.brief.store import load_brief
from briefkit.render.export import render_brief
from briefkit.render.page_estimate import measure
from briefkit.render.templates import Templates

SHIPPED = [i.name for i in Templates().list() if i.origin == "shipped"]


@pytest.mark.long
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("template", SHIPPED)
def test_the_estimate_is_within_half_a_page_of_libreoffices_page_count(sample_brief: Path, template: str) -> None:
    from briefkit.render.docx import write_docx
    from briefkit.render.pdf import docx_to_pdf, page_count

    doc = render_brief(load_brief(sample_brief), template=template, copy="principal").document
    pages = page_count(docx_to_pdf(write_docx(doc)))
    estimate = measure(doc).pages
    # LibreOffice's last page is partly filled: the estimate falls inside it, or at most half a page out.
    assert pages - 1.5 < estimate <= pages + 0.5, (template, estimate, pages)


def test_more_prose_is_more_pages_and_words(sample_brief: Path) -> None:
    brief = load_brief(sample_brief)
    before = measure(render_brief(brief, template="decision-memo").document)
    brief.sections = {name: text + "\n\n" + text for name, text in brief.sections.items()}
    after = measure(render_brief(brief, template="decision-memo").document)
    assert after.words > before.words and after.pages > before.pages + 0.5
