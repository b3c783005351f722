"""Word-level diffs: what a reviewer needs to see changed between a field's current text and its draft.

Text is split into words and single punctuation marks (HTML source also keeps each tag and entity whole, so
`<p>` never splits into `<`, `p`, `>`), and difflib aligns the token lists. Character diffs
are noisy for rewritten copy; line diffs are useless for one-line fields; words are what a reader compares.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

# A token is a word, a punctuation mark, or (in HTML) a whole tag or entity, with the whitespace after it: the
# spaces then never become a token of their own, which would match everywhere and make difflib slow.
_TEXT_TOKEN = re.compile(r"\s+|(?:[^\W_]+(?:['’-][^\W_]+)*|.)\s*", re.DOTALL)
_HTML_TOKEN = re.compile(r"\s+|(?:<[^>]*>|&#?\w+;|[^\W_]+(?:['’-][^\W_]+)*|.)\s*", re.DOTALL)
_WORD_START = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class Segment:
    op: str  # 'equal', 'delete' or 'insert'
    text: str


@dataclass(frozen=True)
class WordDiff:
    segments: tuple[Segment, ...]
    words_removed: int
    words_added: int

    @property
    def changed(self) -> bool:
        return self.words_removed > 0 or self.words_added > 0 or any(s.op != "equal" for s in self.segments)


def tokens(text: str, *, html: bool = False) -> list[str]:
    return (_HTML_TOKEN if html else _TEXT_TOKEN).findall(text or "")


def _is_word(token: str) -> bool:
    return bool(_WORD_START.match(token))


def word_diff(before: str | None, after: str | None, *, html: bool = False) -> WordDiff:
    """Segments that rebuild `before` (equal + delete) and `after` (equal + insert), in reading order.

    Tokens are compared without their trailing whitespace, so "Table" at the end of one text matches "Table "
    in the middle of the other; a difference in whitespace alone shows as a change of that whitespace only.
    """
    if (before or "") == (after or ""):
        return WordDiff((Segment("equal", before),) if before else (), 0, 0)
    old, new = tokens(before or "", html=html), tokens(after or "", html=html)
    old_keys, new_keys = [t.rstrip() or t for t in old], [t.rstrip() or t for t in new]
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    segments: list[Segment] = []
    removed = added = 0

    def emit(op: str, text: str) -> None:
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in _without_whitespace_islands(matcher.get_opcodes(), old_keys):
        if tag == "equal":
            for old_token, new_token, key in zip(old[i1:i2], new[j1:j2], old_keys[i1:i2], strict=True):
                emit("equal", key)
                if old_token != new_token:  # the same word, different whitespace after it
                    emit("delete", old_token[len(key):])
                    emit("insert", new_token[len(key):])
                else:
                    emit("equal", old_token[len(key):])
            continue
        emit("delete", "".join(old[i1:i2]))
        emit("insert", "".join(new[j1:j2]))
        removed += sum(1 for t in old_keys[i1:i2] if _is_word(t))
        added += sum(1 for t in new_keys[j1:j2] if _is_word(t))
    return WordDiff(tuple(segments), removed, added)


def _without_whitespace_islands(opcodes: Sequence[tuple[str, int, int, int, int]],
                                keys: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Merge neighbouring changes (and a lone whitespace match between two changes) into one block."""
    out: list[tuple[str, int, int, int, int]] = []
    for index, code in enumerate(opcodes):
        tag, i1, i2, j1, j2 = code
        between_changes = 0 < index < len(opcodes) - 1 and out and out[-1][0] != "equal"
        if tag == "equal" and between_changes and all(not t.strip() for t in keys[i1:i2]):
            _, p1, _, q1, _ = out.pop()
            out.append(("replace", p1, i2, q1, j2))
            continue
        if tag != "equal" and out and out[-1][0] != "equal":
            _, p1, _, q1, _ = out.pop()
            out.append(("replace", p1, i2, q1, j2))
            continue
        out.append(code)
    return out


def rebuild(diff: WordDiff, side: str) -> str:
    """The 'before' or 'after' text back from a diff (what the tests and the report rely on)."""
    keep = {"before": ("equal", "delete"), "after": ("equal", "insert")}[side]
    return "".join(s.text for s in diff.segments if s.op in keep)
