"""A team library's URL: `postgresql://host/dbname?library=NAME`; a brief stored in it is
`postgresql://host/dbname/BRIEF-ID?library=NAME`.

Everything but `library` goes to libpq as it is, so `?host=/socket/dir&port=5433`, `service=`
and the environment (`PGHOST`, `PGUSER`, `~/.pgpass`, `pg_service.conf`) work as for psql. A
password in the URL is refused: a brief names its library, and a brief is shared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from briefkit.errors import BriefkitError

__all__ = ["BRIEF_ID", "DEFAULT_LIBRARY", "LIBRARY_NAME", "LibraryTarget"]

DEFAULT_LIBRARY = "main"
LIBRARY_NAME = re.compile(r"\w[\w.\-]{0,62}")
BRIEF_ID = re.compile(r"\w[\w.\-]{0,127}")


@dataclass(frozen=True, slots=True)
class LibraryTarget:
    """Where a team library is: libpq's connection string and the library's name in it."""

    url: str  # as given, for messages
    conninfo: str  # the URL without `library=` (and without a brief id)
    name: str
    brief: str = ""  # postgresql://host/dbname/BRIEF-ID?library=NAME names a brief in it

    def brief_url(self, brief_id: str) -> str:
        """The URL of brief `brief_id` in this library."""
        parts = urlsplit(self.library_url)
        return (f"{parts.scheme}://{parts.netloc}{parts.path}/{brief_id}"
                + (f"?{parts.query}" if parts.query else ""))

    @property
    def library_url(self) -> str:
        """The URL of the library alone (a brief's URL without its brief id)."""
        if not self.brief:
            return self.url
        parts = urlsplit(self.url)
        path = parts.path.rsplit("/", 1)[0]
        return f"{parts.scheme}://{parts.netloc}{path}" + (f"?{parts.query}" if parts.query else "")

    @classmethod
    def parse(cls, url: str) -> LibraryTarget:
        """Split `url` into connection and library name.

        Raises:
            BriefkitError: the URL holds a password or the library name is not a name.
        """
        parts = urlsplit(url)
        if parts.password is not None or any(k == "password" for k, _ in parse_qsl(parts.query)):
            raise BriefkitError(
                f"{_shown(url)}: a library URL must not hold a password (briefs are shared): "
                "put it in ~/.pgpass, PGPASSWORD or a service file", field="library")
        query = parse_qsl(parts.query, keep_blank_values=True)
        names = [v for k, v in query if k == "library"]
        name = names[-1] if names else DEFAULT_LIBRARY
        if not LIBRARY_NAME.fullmatch(name):
            raise BriefkitError(f"{url}: library name {name!r} must be letters, digits, '-', '_' "
                                "or '.' (at most 63)", field="library")
        rest = urlencode([(k, v) for k, v in query if k != "library"])
        database, _, brief = parts.path.lstrip("/").partition("/")
        if brief and not BRIEF_ID.fullmatch(brief):
            raise BriefkitError(f"{url}: brief id {brief!r} must be letters, digits, '-', '_' or "
                                "'.'", field="BRIEF")
        # By hand: urlunsplit drops the empty host of postgresql:///db (libpq needs the slashes).
        conninfo = f"{parts.scheme}://{parts.netloc}/{database}" + (f"?{rest}" if rest else "")
        return cls(url, conninfo, name, brief)


def _shown(url: str) -> str:
    """The URL with any password blanked, for the message refusing it."""
    return re.sub(r"(//[^/:@]*:)[^@/]*@", r"\1***@", re.sub(r"password=[^&]*", "password=***", url))
