"""A piece of a very long block: the block with only the markup that meets the piece.

A 3 MB paragraph is drawn a piece (about 8 K characters) at a time; rendering a piece with the
whole block's hidden ranges, substitutions and inline spans would cost the whole block's markup
each time. `piece_of` cuts them down by bisection (sorted by start, as the parsers give them),
keeping the bisection keys of the last few blocks.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right

from folio_reader.index.document import Block
from folio_reader.index.lru import LRU

#: Blocks with fewer markup items than this are used as they are.
SMALL = 64
_KEEP = 4


class _Keys:
    def __init__(self, block: Block) -> None:
        self.block = block  # kept alive while its id is a key
        self.hidden_starts = [s for s, _ in block.hidden]
        self.hidden_ends = [e for _, e in block.hidden]
        self.subs = [s for s, _, _ in block.subs]
        self.inline_starts = [i.start for i in block.inlines]
        self.inline_ends_max = _running_max([i.end for i in block.inlines])


def _running_max(values: list[int]) -> list[int]:
    out: list[int] = []
    top = -1
    for v in values:
        top = max(top, v)
        out.append(top)
    return out


_cache: LRU[int, _Keys] = LRU(_KEEP)


def _keys(block: Block) -> _Keys:
    keys = _cache.get(id(block))
    if keys is None or keys.block is not block:
        keys = _Keys(block)
        _cache.set(id(block), keys)
    return keys


def piece_of(block: Block, start: int, end: int) -> Block:
    """`block` with only the hidden ranges, substitutions and inlines meeting [start, end)."""
    if len(block.hidden) + len(block.subs) + len(block.inlines) < SMALL:
        return block
    keys = _keys(block)
    hidden = block.hidden[bisect_right(keys.hidden_ends, start) : bisect_left(keys.hidden_starts, end)]
    subs = block.subs[bisect_left(keys.subs, start) : bisect_left(keys.subs, end)]
    first = bisect_right(keys.inline_ends_max, start)
    last = bisect_left(keys.inline_starts, end)
    inlines = tuple(i for i in block.inlines[first:last] if i.end > start)
    return dataclasses.replace(block, hidden=hidden, subs=subs, inlines=inlines)
