"""The team library in PostgreSQL: sources, passages and full-text search shared by analysts.

Modules: `target` (the library URL), `connection` (connecting, mapping server errors to one-line
messages), `schema` (versioned migrations), `library` (the `SourceLibrary` backend), `search`
(ranked search with BM25 re-ranking), `writes` (one source in one transaction) and `transfer`
(push a folder library in, pull a working copy out). psycopg loads only with these modules.
"""
