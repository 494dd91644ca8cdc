"""Plain-text columns measured by display width: a CJK character takes two columns.

>>> print(table(["Code", "メッセージ"], [["E1", "入力データが無効です。"]], width=24))
Code  メッセージ
----  ------------------
E1    入力データが無効で
      す。
"""

from __future__ import annotations

from collections.abc import Sequence

from wcwidth import wcswidth, wcwidth

__all__ = ["display_width", "pad", "table", "wrap"]

# Characters a line should not start with (the common part of the CJK rules on line breaking).
_NO_LINE_START = frozenset(
    "、。，．・：；？！）」』】〕〉》〙〗〟｝］’”ー…‥ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ%)]},.:;!?"
)
_GAP = "  "


def display_width(text: str) -> int:
    """How many terminal columns ``text`` takes (a character of unknown width counts as 1)."""
    measured = wcswidth(text)
    if measured >= 0:
        return measured
    return sum(max(wcwidth(char), 1) if not char.isspace() else 1 for char in text)


def pad(text: str, columns: int) -> str:
    """``text`` followed by spaces up to ``columns`` display columns."""
    return text + " " * (columns - display_width(text))


def _clusters(text: str) -> list[str]:
    """``text`` in pieces a line must not split: each character with the zero-width ones after
    it (combining marks, and variation selectors: ``❤`` and U+FE0F take two columns, not one)."""
    clusters: list[str] = []
    for char in text:
        if clusters and not char.isspace() and wcwidth(char) == 0:
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _tokens(text: str) -> list[str]:
    """Pieces a line may break between: spaces, words, and each wide character on its own."""
    tokens: list[str] = []
    word: list[str] = []
    for char in _clusters(text):
        if char.isspace():
            if word:
                tokens.append("".join(word))
                word = []
            if tokens and tokens[-1].isspace():
                tokens[-1] += char
            else:
                tokens.append(char)
        elif display_width(char) == 2 and char not in _NO_LINE_START:
            if word:
                tokens.append("".join(word))
            word = [char]
        else:
            if not word and char in _NO_LINE_START and tokens and not tokens[-1].isspace():
                word = [tokens.pop()]
            word.append(char)
            if display_width(char) == 2:
                tokens.append("".join(word))
                word = []
    if word:
        tokens.append("".join(word))
    return tokens


def wrap(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` display columns (at least one line).

    Lines break at spaces and between CJK characters; a word longer than a line is cut.

    >>> wrap("Invalid input data. Please check the documentation.", 20)
    ['Invalid input data.', 'Please check the', 'documentation.']
    >>> wrap("入力データが無効です。", 10)
    ['入力データ', 'が無効で', 'す。']
    >>> wrap("データ。です。", 8)
    ['データ。', 'です。']
    """
    columns = max(columns, 2)
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for token in _tokens(text):
        if token.isspace():
            if line:
                line.append(" ")
                used += 1
            continue
        size = display_width(token)
        if used + size > columns and line:
            while line and line[-1] == " ":
                line.pop()
            lines.append("".join(line))
            line, used = [], 0
        if size > columns:
            for char in _clusters(token):
                char_size = display_width(char)
                if used + char_size > columns and line:
                    lines.append("".join(line))
                    line, used = [], 0
                line.append(char)
                used += char_size
            continue
        line.append(token)
        used += size
    while line and line[-1] == " ":
        line.pop()
    lines.append("".join(line))
    if len(lines) > 1 and any(char in _ISOLATES for char in text):
        return _isolated_lines(lines)
    return lines


_ISOLATES = frozenset("\u2066\u2067\u2068\u2069")
_PDI = "\u2069"


def _isolated_lines(lines: list[str]) -> list[str]:
    """Lines that each close the isolates still open at their end, and open them again after.

    A param between FSI and PDI may be cut across lines; an FSI left open would take in the
    rest of the terminal's line, such as the next column of a table.
    """
    opened: list[str] = []
    out: list[str] = []
    for line in lines:
        reopen = "".join(opened)
        for char in line:
            if char == _PDI:
                if opened:
                    opened.pop()
            elif char in _ISOLATES:
                opened.append(char)
        out.append(reopen + line + _PDI * len(opened))
    return out


def _column_widths(natural: list[int], floors: list[int], room: int) -> list[int]:
    """Column widths that fit in ``room``: the last column (the long text) gives way first.

    The last column shrinks to two fifths of the room (or its floor), then the widest of the
    others, one column at a time, down to their floors, then the last column to its floor.
    """
    widths = list(natural)
    last = len(widths) - 1
    excess = sum(widths) - room
    if excess <= 0:
        return widths
    keep = max(floors[last], min(natural[last], room * 2 // 5))
    give = min(excess, widths[last] - keep)
    widths[last] -= max(give, 0)
    while sum(widths) > room:
        others = [i for i in range(last) if widths[i] > floors[i]]
        if not others:
            break
        widest = max(others, key=lambda i: widths[i])
        widths[widest] -= 1
    widths[last] = max(floors[last], widths[last] - max(sum(widths) - room, 0))
    return widths


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int = 100,
    align: str = "",
    floors: Sequence[int] | None = None,
) -> str:
    """Rows under headers in aligned columns, cells wrapped to fit ``width`` display columns.

    ``align`` has one letter per column, ``l`` (the default) or ``r`` (for numbers). A column is
    never narrower than its ``floors`` entry (default: its header, at most 12). Lines carry no
    trailing spaces.
    """
    count = len(headers)
    natural = [display_width(h) for h in headers]
    for row in rows:
        for index, cell in enumerate(row):
            natural[index] = max(natural[index], display_width(cell))
    if floors is None:
        floors = [min(n, display_width(h), 12) for n, h in zip(natural, headers, strict=True)]
    room = width - len(_GAP) * (count - 1)
    widths = _column_widths(natural, list(floors), room)
    right = [index < len(align) and align[index] == "r" for index in range(count)]
    out = _line([wrap(h, w) for h, w in zip(headers, widths, strict=True)], widths, right)
    out.append(_GAP.join("-" * w for w in widths))
    for row in rows:
        cells = [wrap(cell, w) for cell, w in zip(row, widths, strict=True)]
        out.extend(_line(cells, widths, right))
    return "\n".join(out)


def _line(cells: list[list[str]], widths: list[int], right: list[bool]) -> list[str]:
    height = max(len(c) for c in cells)
    lines = []
    for index in range(height):
        pieces = []
        for cell, size, to_right in zip(cells, widths, right, strict=True):
            piece = cell[index] if index < len(cell) else ""
            gap = " " * (size - display_width(piece))
            pieces.append(gap + piece if to_right else piece + gap)
        lines.append(_GAP.join(pieces).rstrip())
    return lines
