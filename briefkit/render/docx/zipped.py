"""The zip container of a .docx, written from deflated members.

zipfile deflates every member on every write; a base document's styles, theme and settings are the
same in every export, so the prepared base keeps them deflated (`deflate` at preparation), and an
export deflates only what it wrote. The archive is what zipfile writes for
`writestr` members (deflate, Unix permissions 0600, no zip64: a brief is far below 4 GB).
"""

from __future__ import annotations

import struct
import time
import zlib
from typing import NamedTuple

DEFAULT = 6  # zlib's default, as zipfile deflates: level 1 took a third of the time at 1,000 notes
# but made the file 28% larger, for 2.5% of the whole export
BEST = 9  # for what is deflated once, when a base is prepared

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # 2.0: deflate
_UNIX = 3
_DEFLATE = 8
_PERMISSIONS = 0o600 << 16
_UTF8_NAME = 0x800


class Deflated(NamedTuple):
    """A member's bytes deflated (raw deflate, no zlib header), with its CRC-32 and length."""

    data: bytes
    crc: int
    size: int


def deflate(data: bytes, level: int = DEFAULT) -> Deflated:
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Deflated(packer.compress(data) + packer.flush(), zlib.crc32(data), len(data))


def archive(members: list[tuple[str, Deflated]], when: float | None = None) -> bytes:
    """The zip file holding `members` (name, deflated bytes) in order, dated `when` (local time,
    as zipfile dates them; now by default)."""
    year, month, day, hour, minute, second = time.localtime(when)[:6]
    dos_time = hour << 11 | minute << 5 | second // 2
    dos_date = (year - 1980) << 9 | month << 5 | day
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, member in members:
        encoded = name.encode()
        flags = 0 if encoded.isascii() else _UTF8_NAME
        header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, _DEFLATE, dos_time, dos_date, member.crc,
                             len(member.data), member.size, len(encoded), 0)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, flags, _DEFLATE, dos_time, dos_date,
                                     member.crc, len(member.data), member.size, len(encoded), 0, 0, 0, 0,
                                     _PERMISSIONS, offset) + encoded)
        out += (header, encoded, member.data)
        offset += len(header) + len(encoded) + len(member.data)
    directory = b"".join(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), offset, 0)
    return b"".join(out) + directory + end
