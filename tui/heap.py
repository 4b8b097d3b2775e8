"""The garbage collector and a large corpus (issue 15, keystroke to results).

Python's full collections walk every object the collector tracks, and the reader holds a lot for
as long as it runs: the list of every document, the open index, its caches. At 5,000 documents
that was ~240,000 objects and a full collection took ~210 ms; at 50,000, ~470,000 objects and
~420 ms (up to 640), on the UI thread, wherever one happened to fall: inside the search pane's
`show` or its paint, between the key and its results (`tests/bench/bench_tui.py` counts them).
The search's own objects, made and dropped at every key, are what sets them off.

`settle` hands what is alive once the list is drawn and once the index is open to the permanent
generation (`gc.freeze`): full collections then walk only what came after. What was frozen and
later dropped is still freed by its reference count; only cycles among it stay, and a settled
heap is the long-lived part of the process (the list a later update replaces holds no cycles).
The `folio` command turns it on (`FolioApp(settles_heap=True)`); tests' apps leave it off, so a
test process never keeps the garbage of the apps before it.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Young garbage collected (cheap: the first two generations), then everything still alive
    out of the full collections' walk."""
    gc.collect(1)
    gc.freeze()
