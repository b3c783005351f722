"""Word-level diffs: what a reviewer needs to see changed between a field's current text and its draft.

Text is split into words, whitespace runs and single punctuation marks (HTML source also keeps each tag and
entity whole, so `<p>` never splits into `<`, `p`, `>`), and difflib aligns the token lists. Character diffs
are noisy for rewritten copy; line diffs are useless for one-line fields; words are what a reader compares.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TEXT_TOKEN = re.compile(r"\s+|[^\W_]+(?:['’-][^\W_]+)*|.", re.DOTALL)
_HTML_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|\s+|[^\W_]+(?:['’-][^\W_]+)*|.", re.DOTALL)
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
    """Segments that rebuild `before` (equal + delete) and `after` (equal + insert), in reading order."""
    old, new = tokens(before or "", html=html), tokens(after or "", html=html)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    segments: list[Segment] = []
    removed = added = 0

    def emit(op: str, parts: list[str]) -> None:
        if not parts:
            return
        text = "".join(parts)
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in _without_whitespace_islands(matcher.get_opcodes(), old):
        if tag == "equal":
            emit("equal", old[i1:i2])
            continue
        emit("delete", old[i1:i2])
        emit("insert", new[j1:j2])
        removed += sum(1 for t in old[i1:i2] if _is_word(t))
        added += sum(1 for t in new[j1:j2] if _is_word(t))
    return WordDiff(tuple(segments), removed, added)


def _without_whitespace_islands(opcodes: list[tuple[str, int, int, int, int]],
                                old: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Fold a lone space matched between two changes into the change, so a rewrite reads as one block."""
    out: list[tuple[str, int, int, int, int]] = []
    for index, code in enumerate(opcodes):
        tag, i1, i2, j1, j2 = code
        between_changes = 0 < index < len(opcodes) - 1 and out and out[-1][0] != "equal"
        if tag == "equal" and between_changes and all(not t.strip() for t in old[i1:i2]):
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
