"""Reading a DOCX that briefkit exported and someone reviewed in Word or LibreOffice.

    from briefkit.review import read_reviewed_docx
    reviewed = read_reviewed_docx(Path("brief.reviewed.docx"))   # ReviewError: one message, exit 2

`ReviewedDocx` holds plain values:

- `record`: the export record (`render.roundtrip.ExportRecord`: brief_id, revision, title,
  template, style, library, library_path, quotes with citation, source, start, end, exact text
  and source_sha256), or None for a file briefkit did not export (`require_record=False` reads it
  anyway; its comments then carry only the text they cover).
- `elements`: one `ElementText` per printing of a brief element, found by its bookmark:
  `element` names it as the brief's review entries do (`sections.summary`,
  `positions.P.title`, `positions.P.summary`, `citations.C.quote`, `citations.C.note`); `source`
  is its text in the brief when exported, `exported` its text in the file then, `accepted` /
  `rejected` its text now with every tracked change accepted / rejected (None when the reviewer
  deleted its anchor: `reviewed.unplaced`). `rejected != exported` means a direct edit (track
  changes off). `printings(element)` / `first_printing(element)` look one up.
- `comments`: `Comment` (id, author, date, `elements` it falls in, bookmark `names`, `part`
  body or footnotes; initials, text, `covered` text, `parent` id for a reply, via
  commentsExtended, `done` for resolved); `threads()` groups replies under each thread's first.
- `changes`: `Change` (id, author, date, elements, names, part; `kind` insertion | deletion |
  move-from | move-to | paragraph-insertion | paragraph-deletion, `text`, `move` pairing a
  move's halves).
- `brief_id(brief)` (in `render.roundtrip`) is the identity a record's `brief_id` is compared with.
"""

from briefkit.review.model import (
    CHANGE_KINDS,
    Change,
    Comment,
    ElementText,
    Placement,
    ReviewedDocx,
)
from briefkit.review.read import read_reviewed_docx

__all__ = ["CHANGE_KINDS", "Change", "Comment", "ElementText", "Placement", "ReviewedDocx", "read_reviewed_docx"]
