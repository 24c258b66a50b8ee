"""DOCX export: the document tree as a Word file with real footnotes, optionally in a house style.

Writing, without python-docx: `writer` (the tree walk), `wml` and `text` (escaped, XML-safe
markup), `notes`, `numbering`, `links` and `anchors` (footnotes, lists, hyperlinks, bookmarks),
`record` (the export record) and `package` (the parts of a prepared base, zipped).
Preparing a base once per reference document, through python-docx: `prepare`, with `base`
(template or reference document), `styles` (node kinds to named styles, in `roles`), `page`
(margins, footer) and `footnotes` (the footnotes part python-docx lacks); `comments` writes a
brief's review comments into the written file.
"""

from briefkit.render.docx.writer import write_docx

__all__ = ["write_docx"]
