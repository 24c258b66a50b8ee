"""DOCX export: the document tree as a Word file with real footnotes, optionally in a house style.

Layers, each in its own module: `text` (XML-safe text and run content), `links` (relationships),
`footnotes` (the footnotes part python-docx lacks), `numbering` (list definitions), `styles` (node
kinds to named styles), `page` (margins, footer), `base` (template or reference document) and
`writer` (the tree walk).
"""

from briefkit.render.docx.writer import write_docx

__all__ = ["write_docx"]
