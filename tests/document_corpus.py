"""A generated test corpus covering every construct of each format the document model reads.

Each sample is (file name, text, expectations): an expectation is (kind, displayed text) for a
block the sample must hold, so tests can check both the kinds and exactly what a reader sees.
"""

from __future__ import annotations

from pathlib import Path

MARKDOWN = """\
---
title: "Front matter title"
author: Ada Lovelace
date: 2024-03-05
---

# Heading *one* #

Setext heading
--------------

A paragraph with *emphasis*, **strong**, `code span`, ~~struck~~,
a [link](https://example.org "T") and a [reference][ref], <https://auto.example>,
an escaped \\*star\\*, an entity &amp; and &#x41;, <span>inline html</span>.
Hard break here\\
next line.

> A quote with **bold** text
> over two lines.
>
> > nested quote

- item one
- item two with `code`
  1. nested ordered
  2. second

* loose item

  with a second paragraph

```python
def f(x):
    return x * 2  # searchneedle
```

    indented code
      keeps indent

| Name | Value |
|------|:-----:|
| alpha | **bold cell** |
| beta | `x\\|y` |

***

<!-- an HTML comment: hidden -->

![alt text](image.png)

[ref]: https://example.org/ref
"""

MARKDOWN_EXPECT = [
    ("front_matter", None),
    ("heading", "Heading one"),
    ("heading", "Setext heading"),
    ("quote-paragraph", "A quote with bold text over two lines."),
    ("list_item", "item one"),
    ("list_item", "item two with code"),
    ("list_item", "nested ordered"),
    ("code", "def f(x):\n    return x * 2  # searchneedle"),
    ("code", "indented code\n  keeps indent"),
    ("table", None),
    ("break", ""),
    ("hidden", None),
    ("paragraph", "alt text"),
]

REST = """\
.. SPDX-License-Identifier: GPL-2.0

.. _top-label:

=========================================================
:mod:`__main__` --- Top-level code environment
=========================================================

:Author: Grace Hopper
:Date: 2023-11-02

Introduction
============

A paragraph with *emphasis*, **strong**, ``literal``, :func:`abs`, :ref:`a title <label>`,
:meth:`~pkg.Class.method`, a `link <https://example.org>`_, a reference_, and a
substitution |sub| here. Ends with a literal block::

    >>> 2 + 2
    4

.. note:: A note body with *emphasis*.

.. versionchanged:: 3.7
   It changed here.

.. warning::

   A warning paragraph.

- bullet one
- bullet two

#. enumerated one
#. enumerated two

term
   The definition of the term.

.. code-block:: python
   :linenos:

   def g():
       return 1  # searchneedle

>>> 1 + 1
2

+--------+--------+
| Head A | Head B |
+========+========+
| cell 1 | cell 2 |
+--------+--------+

=====  ======
Col 1  Col 2
=====  ======
x      y
=====  ======

.. index:: single: hidden entry

.. |sub| replace:: substituted

.. a comment
   over two lines

.. _reference: https://example.org/ref

.. unknowndirective:: its argument
   :someoption: value

   Content of an unknown directive.

-----

| A line block
| keeps its lines
"""

REST_EXPECT = [
    ("hidden", None),
    ("heading", "__main__ --- Top-level code environment"),
    ("list_item", "Grace Hopper"),
    ("heading", "Introduction"),
    ("code", ">>> 2 + 2\n4"),
    ("admonition", ""),
    ("paragraph", "A note body with emphasis."),
    ("paragraph", "It changed here."),
    ("paragraph", "A warning paragraph."),
    ("list_item", "bullet one"),
    ("list_item", "enumerated two"),
    ("paragraph", "term"),
    ("paragraph", "The definition of the term."),
    ("code", "def g():\n    return 1  # searchneedle"),
    ("code", ">>> 1 + 1\n2"),
    ("table", None),
    ("paragraph", "Content of an unknown directive."),
    ("break", ""),
    ("lines", "A line block\nkeeps its lines"),
]

PLAIN = """\
Plain Title
===========

This is a hard-wrapped paragraph of prose that goes on for a while so that
it is wider than sixty percent of the document's usual line width, and it
continues on a third line before it ends.

    indented block
        stays as it is

name        value
alpha       1
beta        2

+------+------+
| art  | box  |
+------+------+

acpi=\t\t[HW,ACPI]

Our reporter
10 October 2025

- a list item
  continued here
- another item

Stray * and _ characters and Call KVM_CREATE_VM first. stay as written.
"""

PLAIN_EXPECT = [
    ("heading", "Plain Title"),
    (
        "paragraph",
        "This is a hard-wrapped paragraph of prose that goes on for a while so that it is wider than sixty "
        "percent of the document's usual line width, and it continues on a third line before it ends.",
    ),
    ("lines", "    indented block\n        stays as it is"),
    ("lines", "name        value\nalpha       1\nbeta        2"),
    ("lines", "+------+------+\n| art  | box  |\n+------+------+"),
    ("lines", "acpi=\t\t[HW,ACPI]"),
    ("paragraph", "Our reporter"),
    ("paragraph", "10 October 2025"),
    ("paragraph", "- a list item continued here"),
    ("paragraph", "- another item"),
    ("paragraph", "Stray * and _ characters and Call KVM_CREATE_VM first. stay as written."),
]

SAMPLES = {
    "every.md": (MARKDOWN, MARKDOWN_EXPECT),
    "every.rst": (REST, REST_EXPECT),
    "every.txt": (PLAIN, PLAIN_EXPECT),
}


def write_corpus(root: Path) -> Path:
    for name, (text, _) in SAMPLES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root
