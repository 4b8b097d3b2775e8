"""Annotations: highlights and notes on passages, their anchoring, and the JSON store.

    model        the `Annotation` and its W3C Web Annotation form
    anchoring    finding each annotation in the current text of its document
    fileformat   the annotations file: encode, decode (salvaging a damaged one), merge
    cache        the decoded annotations of a file's exact bytes (an unchanged file is not parsed again)
    interchange  W3C export (an AnnotationCollection) and reading annotations to import
    rescue       changes a program had to end with, kept for the next Folio to merge
    files        the companions of an annotations file (lock, backup, rescue files) and whose file it is
    store        `AnnotationStore`: the file of a corpus, kept in step with memory and other Folios

Callers import from here; the names below are the package's interface.
"""

from folio_reader.index.annotations.anchoring import (
    MIN_EVIDENCE,
    MIN_QUOTE_SIMILARITY,
    Anchored,
    DocumentAnchors,
    Status,
    anchor,
    anchor_corpus,
    anchor_document,
)
from folio_reader.index.annotations.fileformat import FORMAT, VERSION, decode, encode, merge
from folio_reader.index.annotations.model import (
    COLORS,
    CONTEXT_CHARS,
    DEFAULT_COLOR,
    FOLIO_NAMESPACE,
    W3C_CONTEXT,
    Annotation,
    InvalidAnnotation,
    clean_note,
    clean_tags,
    context,
    format_time,
    parse_time,
    utc_now,
)
from folio_reader.index.annotations.store import (
    LOCK_TIMEOUT,
    AnnotationFileLocked,
    AnnotationFileReadOnly,
    AnnotationFileRefused,
    AnnotationStore,
    AnnotationStoreError,
    AnnotationWriteFailed,
    Loaded,
    Merged,
)

__all__ = [
    "COLORS",
    "CONTEXT_CHARS",
    "DEFAULT_COLOR",
    "FOLIO_NAMESPACE",
    "FORMAT",
    "LOCK_TIMEOUT",
    "MIN_EVIDENCE",
    "MIN_QUOTE_SIMILARITY",
    "VERSION",
    "W3C_CONTEXT",
    "Anchored",
    "Annotation",
    "AnnotationFileLocked",
    "AnnotationFileReadOnly",
    "AnnotationFileRefused",
    "AnnotationStore",
    "AnnotationStoreError",
    "AnnotationWriteFailed",
    "DocumentAnchors",
    "InvalidAnnotation",
    "Loaded",
    "Merged",
    "Status",
    "anchor",
    "anchor_corpus",
    "anchor_document",
    "clean_note",
    "clean_tags",
    "context",
    "decode",
    "encode",
    "format_time",
    "merge",
    "parse_time",
    "utc_now",
]
