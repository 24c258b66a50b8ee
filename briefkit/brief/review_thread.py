"""The analyst's side of a review conversation: resolving an entry and replying to it."""

from __future__ import annotations

import datetime as dt

from briefkit.brief.model import Brief, Reply, ReviewItem
from briefkit.errors import BriefkitError

__all__ = ["reply", "set_status"]


def _entry(brief: Brief, item_id: str) -> ReviewItem:
    found = next((item for item in brief.review if item.id == item_id), None)
    if found is None:
        raise BriefkitError(f"no review entry '{item_id}'", path=brief.path, field="review")
    return found


def set_status(brief: Brief, item_id: str, status: str) -> bool:
    """Resolve (or reopen) a review entry; returns whether it changed."""
    item = _entry(brief, item_id)
    if item.status == status:
        return False
    item.status = status
    return True


def reply(brief: Brief, item_id: str, text: str, author: str, when: dt.datetime | None = None) -> Reply:
    """Add the analyst's reply (dated now, in UTC as Word dates comments); it goes out with the
    entry as a Word reply on the next export."""
    if not text.strip():
        raise BriefkitError("a reply needs some text", field="reply")
    moment = (when or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    answer = Reply(author=author, date=moment.strftime("%Y-%m-%dT%H:%M:%SZ"), text=text)
    _entry(brief, item_id).replies.append(answer)
    return answer
