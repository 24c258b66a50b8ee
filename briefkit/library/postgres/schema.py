"""The team library's tables, as numbered migrations `briefkit library init URL` applies.

A migration runs once, in its own transaction, under an advisory lock (two analysts running
`init` at once agree); `schema_migrations` records which ran. Never edit a released migration:
add the next one. Opening a library checks the database is at `LATEST` and says to run `init`
when it is behind.

Passages are paragraphs: each row keeps its offsets into the source's reading text, its body
(for snippets) and a generated `tsvector` with a GIN index. The vector holds English stems,
which a prefix cannot be matched against ("negotiat" is no prefix of the stem "negoti"), so
`words` keeps every word seen with its stem and `prefix*` becomes an OR of the stems of the
words it opens. `lexemes` holds each lexeme's
document frequency per library, kept in the same transaction as the passages, so search can
re-rank with BM25 (PostgreSQL's `ts_rank` knows no inverse document frequency).
"""

from __future__ import annotations

import psycopg

__all__ = ["LATEST", "MIGRATIONS", "migrate", "schema_version"]

_LOCK = 7_311_402  # pg_advisory_xact_lock key: briefkit's migrations

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, """
CREATE TABLE libraries(
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    created timestamptz NOT NULL DEFAULT now(),
    passages bigint NOT NULL DEFAULT 0,      -- for BM25: how many passages
    total_length bigint NOT NULL DEFAULT 0   -- and their words in all
);
CREATE TABLE sources(
    library_id integer NOT NULL REFERENCES libraries ON DELETE CASCADE,
    id text NOT NULL,
    position integer NOT NULL,          -- the listed order
    csl jsonb NOT NULL,                 -- the CSL-JSON item
    format text NOT NULL DEFAULT '',
    file_name text NOT NULL,            -- the file's name in a folder library
    file_bytes bytea NOT NULL,          -- the file (for PDF, HTML, DOCX: the stored reading text)
    file_sha256 text NOT NULL,
    original_name text,                 -- PDF, HTML, DOCX: originals/<id>.<ext>
    original_bytes bytea,
    sha256 text NOT NULL DEFAULT '',    -- of the original, as sources.yaml records it
    extraction_record text,             -- originals/<id>.extraction.json as written
    page_labels text[] NOT NULL DEFAULT '{}',
    text text NOT NULL,                 -- the reading text anchors point into
    text_sha256 text NOT NULL,
    encoding text NOT NULL,
    removed jsonb NOT NULL DEFAULT '[]',
    updated timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT current_user,
    PRIMARY KEY (library_id, id)
);
CREATE TABLE passages(
    library_id integer NOT NULL,
    source_id text NOT NULL,
    paragraph integer NOT NULL,
    passage_id text NOT NULL,
    start integer NOT NULL,
    "end" integer NOT NULL,
    page integer,
    length integer NOT NULL,            -- words, for BM25
    body text NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED,
    PRIMARY KEY (library_id, source_id, paragraph),
    FOREIGN KEY (library_id, source_id) REFERENCES sources ON DELETE CASCADE
);
CREATE UNIQUE INDEX passages_by_id ON passages (library_id, passage_id);
CREATE INDEX passages_fts ON passages USING gin (tsv);
CREATE TABLE sentences(
    library_id integer NOT NULL,
    source_id text NOT NULL,
    paragraph integer NOT NULL,
    number integer NOT NULL,
    start integer NOT NULL,
    "end" integer NOT NULL,
    PRIMARY KEY (library_id, source_id, paragraph, number),
    FOREIGN KEY (library_id, source_id, paragraph) REFERENCES passages ON DELETE CASCADE
);
CREATE TABLE words(                    -- each word seen, with its stem: prefix* expands
    library_id integer NOT NULL REFERENCES libraries ON DELETE CASCADE,
    word text COLLATE "C" NOT NULL,     -- to the stems of the words it opens ("C": range scan)
    lexeme text NOT NULL,               -- '' for a stopword
    PRIMARY KEY (library_id, word)
);
CREATE TABLE lexemes(
    library_id integer NOT NULL REFERENCES libraries ON DELETE CASCADE,
    lexeme text COLLATE "C" NOT NULL,  -- "C": a prefix is a range scan
    df integer NOT NULL,
    PRIMARY KEY (library_id, lexeme)
);
"""),
    (2, """
CREATE TABLE briefs(
    library_id integer NOT NULL REFERENCES libraries ON DELETE CASCADE,
    id text NOT NULL,
    text text NOT NULL,                 -- the brief's YAML, as a brief file holds it
    revision integer NOT NULL DEFAULT 1,  -- a save is compare-and-swap on it
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT current_user,
    PRIMARY KEY (library_id, id)
);
CREATE TABLE brief_changes(             -- the audit trail: every revision, who and when
    library_id integer NOT NULL,
    brief_id text NOT NULL,
    revision integer NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    by text NOT NULL DEFAULT current_user,
    summary text NOT NULL,
    text text NOT NULL,
    PRIMARY KEY (library_id, brief_id, revision),
    FOREIGN KEY (library_id, brief_id) REFERENCES briefs ON DELETE CASCADE
);
"""),
    (3, """
-- lz4 compresses files and texts about 8x faster than the default pglz (a push of 10 MB of
-- files spent ~1.7 s of the server's time in pglz alone); a server built without lz4 keeps pglz.
DO $$ BEGIN
    ALTER TABLE sources ALTER COLUMN file_bytes SET COMPRESSION lz4,
        ALTER COLUMN original_bytes SET COMPRESSION lz4, ALTER COLUMN text SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN NULL;
END $$;
"""),
)
LATEST = MIGRATIONS[-1][0]


def schema_version(conn: psycopg.Connection) -> int:
    """The last migration applied to this database (0: none)."""
    row = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return 0
    found = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(found[0] or 0) if found else 0


def migrate(conn: psycopg.Connection) -> list[int]:
    """Apply the migrations this database lacks, each in its own transaction.

    Returns:
        The versions applied now (none when the database was up to date).
    """
    applied: list[int] = []
    for version, sql in MIGRATIONS:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations("
                         "version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())")
            done = conn.execute("SELECT 1 FROM schema_migrations WHERE version = %s",
                                (version,)).fetchone()
            if done:
                continue
            conn.execute(sql)  # type: ignore[arg-type]  # our own constant SQL
            conn.execute("INSERT INTO schema_migrations(version) VALUES (%s)", (version,))
            applied.append(version)
    return applied
