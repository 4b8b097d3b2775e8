"""Files the format tests and benchmarks build: a saved news article, EPUB books, PDF reports.

Everything is made here from scratch with the standard library (zipfile for EPUBs; PDFs are
written object by object, with Helvetica, real text positioning and, for the encrypted one, the
standard security handler's RC4 encryption), so the tests read real files of each format.
"""

from __future__ import annotations

import hashlib
import io
import zipfile

# -- a saved web article ------------------------------------------------------------------------

ARTICLE_PARAGRAPHS = [
    "The harbour council voted seven to two on Thursday night to rebuild the Victorian pier that "
    "storms closed in 2019, ending six years of argument over whether the structure could be saved.",
    "Engineers told the meeting that the iron piles were sound but that the deck timbers had rotted "
    "beyond repair, and that a new deck would cost £4.2 million.",
]


def article_html(extra_paragraphs: int = 0) -> bytes:
    """A news page as a browser saves it: navigation, an advertisement, the article (headings,
    a list, a quote, a table, code, emphasis), related links, a comment section, a footer."""
    more = "".join(
        f"<p>Further detail number {i} was given by the harbour master, who described the tides, "
        f"the state of the slipway and the plans for the lighting of the deck in paragraph {i}.</p>"
        for i in range(extra_paragraphs)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour council votes to rebuild the old pier | The Coastline Courier</title>
<meta property="og:site_name" content="The Coastline Courier">
<meta property="og:title" content="Harbour council votes to rebuild the old pier">
<meta name="author" content="Maria Okafor">
<meta property="article:published_time" content="2025-06-14T09:30:00Z">
<script>var tracking = "ad-network-beacon";</script>
<style>.ad{{display:block}}</style>
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe today</a></li></ul></nav></header>
<div class="ad-banner">ADVERTISEMENT Buy cheap flights now with SkyDeals</div>
<main><article>
<h1>Harbour council votes to rebuild the old pier</h1>
<p class="byline">By <span class="author">Maria Okafor</span> · <time datetime="2025-06-14">14 June 2025</time></p>
<p>{ARTICLE_PARAGRAPHS[0]}</p>
<p>{ARTICLE_PARAGRAPHS[1]}</p>
<h2>What the plan includes</h2>
<ul><li>A new hardwood deck on the original piles</li><li>A lifeboat slipway at the seaward end</li>
<li>Lighting that does not disturb nesting terns</li></ul>
<blockquote><p>“We are not building a monument, we are giving the town its front door back,” said councillor Edith Rowe.</p></blockquote>
<p>The cost is split as follows, according to the council's papers on the <a href="pier-budget.html">pier budget</a>:</p>
<table><tr><th>Source</th><th>Amount</th></tr><tr><td>Heritage fund</td><td>£2.5m</td></tr>
<tr><td>Council reserves</td><td>£1.7m</td></tr></table>
<p>The contractor's schedule file was read out in full:</p>
<pre><code class="language-text">phase 1: survey piles   (July)
phase 2: lay deck       (September)</code></pre>
<p>Opponents said the money would be better spent on the sea wall, which <em>flooded twice</em> last
winter, and asked for a <strong>public vote</strong> before work begins.</p>
{more}
</article></main>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Sea wall repairs delayed again</a></li>
<li><a href="/b">Tern colony returns to the spit</a></li></ul></aside>
<section id="comments" class="comments"><h3>Comments (2)</h3>
<div class="comment"><p class="comment-author">seagull42</p><p>About time! I remember fishing off that pier as a boy, brilliant news for everyone.</p></div>
<div class="comment"><p class="comment-author">rate_payer</p><p>Another waste of our council tax money, fix the roads first please.</p></div>
</section>
<footer><p>© 2025 The Coastline Courier. All rights reserved.</p><a href="/privacy">Privacy policy</a>
<a href="/cookies">Cookie settings</a></footer>
</body></html>""".encode()


INDEX_PAGE = b"""<html><head><title>Site index</title></head><body>
<h1>Archive</h1>
<ul><li><a href="a.html">First story</a></li><li><a href="b.html">Second story</a></li></ul>
<form><label>Email</label><input name="e"><button>Sign up</button></form>
</body></html>"""


# -- EPUB ---------------------------------------------------------------------------------------

NS_OPF = "http://www.idpf.org/2007/opf"


def chapter_xhtml(title: str | None, paragraphs: list[str], extra: str = "") -> str:
    head = f"<h1>{title}</h1>" if title else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f"<head><title>{title or ''}</title></head><body>{head}{body}{extra}</body></html>"
    )


BOOK_CHAPTERS = [
    (
        "text/ch1.xhtml",
        "Loomings",
        ["Call me Ishmael. Some years ago I went to sea.", "It is a way I have of driving off the spleen."],
    ),
    (
        "text/ch2.xhtml",
        "The Carpet-Bag",
        ["I stuffed a shirt or two into my old carpet-bag.", "The night was cold &amp; dark."],
    ),
    (
        "text/ch3.xhtml",
        "The Spouter-Inn",
        ["Entering that gable-ended Spouter-Inn, you found yourself in a wide, low entry."],
    ),
]


def make_epub(
    chapters: list[tuple[str, str | None, list[str]]] | None = None,
    *,
    title: str = "Moby-Dick",
    creator: str = "Herman Melville",
    date: str = "1851-10-18",
    publisher: str = "Harper & Brothers",
    toc: str = "nav",
    spine: bool = True,
    toc_labels: dict[str, str] | None = None,
    bodies: dict[str, str] | None = None,
    extra: dict[str, bytes] | None = None,
    hrefs: dict[str, str] | None = None,
) -> bytes:
    """An EPUB 3 (with `toc="ncx"`, EPUB 2 style) book. `bodies` replaces a chapter's whole file,
    `extra` adds entries, `hrefs` writes another href into the manifest for a chapter."""
    chapters = BOOK_CHAPTERS if chapters is None else chapters
    labels = toc_labels or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
        )
        items, refs, nav_links, points = [], [], [], []
        for i, (path, chapter_title, paragraphs) in enumerate(chapters, 1):
            href = (hrefs or {}).get(path, path)
            items.append(f'<item id="c{i}" href="{href}" media-type="application/xhtml+xml"/>')
            refs.append(f'<itemref idref="c{i}"/>')
            label = labels.get(path, chapter_title)
            if label:
                nav_links.append(f'<li><a href="{path}">{label}</a></li>')
                points.append(
                    f'<navPoint id="p{i}" playOrder="{i}"><navLabel><text>{label}</text></navLabel><content src="{path}"/></navPoint>'
                )
            content = (bodies or {}).get(path) or chapter_xhtml(chapter_title, paragraphs)
            z.writestr(f"OEBPS/{path}", content)
        if toc == "nav":
            items.append('<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>')
            z.writestr(
                "OEBPS/nav.xhtml",
                '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
                f'<body><nav epub:type="toc"><ol>{"".join(nav_links)}</ol></nav></body></html>',
            )
        elif toc == "ncx":
            items.append('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
            z.writestr(
                "OEBPS/toc.ncx",
                '<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
                f"<navMap>{''.join(points)}</navMap></ncx>",
            )
        toc_attr = ' toc="ncx"' if toc == "ncx" else ""
        spine_xml = f"<spine{toc_attr}>{''.join(refs)}</spine>" if spine else ""
        z.writestr(
            "OEBPS/content.opf",
            f'<?xml version="1.0" encoding="utf-8"?><package xmlns="{NS_OPF}" version="3.0" unique-identifier="id">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<dc:identifier id="id">urn:uuid:1</dc:identifier><dc:title>{title}</dc:title>'
            f"<dc:creator>{creator}</dc:creator><dc:date>{date}</dc:date>"
            f"<dc:publisher>{publisher.replace('&', '&amp;')}</dc:publisher></metadata>"
            f"<manifest>{''.join(items)}</manifest>{spine_xml}</package>",
        )
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


def bomb_epub(megabytes: int) -> bytes:
    """A book whose first chapter inflates to `megabytes` MB of spaces (about 1,000 times its
    compressed size)."""
    filler = "<html><body><p>" + " " * (megabytes * 1024 * 1024) + "</p></body></html>"
    return make_epub(bodies={"text/ch1.xhtml": filler})


DRM_ENCRYPTION = b"""<?xml version="1.0"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
%s
</encryption>"""


def encryption_xml(uris: list[str], algorithm: str = "http://www.w3.org/2001/04/xmlenc#aes128-cbc") -> bytes:
    parts = "".join(
        f'<enc:EncryptedData><enc:EncryptionMethod Algorithm="{algorithm}"/>'
        f'<enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData>'
        for uri in uris
    )
    return DRM_ENCRYPTION % parts.encode()


# -- PDF ----------------------------------------------------------------------------------------

# Helvetica's advance widths (per 1000 units of the font size) for ASCII 32..126, from its AFM.
_HELVETICA = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
]  # fmt: skip


def text_width(text: str, size: float) -> float:
    return sum(_HELVETICA[ord(c) - 32] if 32 <= ord(c) <= 126 else 556 for c in text) * size / 1000


def typeset(
    paragraphs: list[str],
    *,
    size: float = 11,
    left: float = 72,
    width: float = 468,
    top: float = 720,
    indent: float = 0,
) -> list[tuple[float, float, float, str]]:
    """Lines (x, y, size, text) of left-aligned paragraphs, filled greedily as a typesetter
    would, a blank line's space between paragraphs, the first line of each indented by `indent`."""
    lines: list[tuple[float, float, float, str]] = []
    y = top
    leading = size * 1.25
    for paragraph in paragraphs:
        words = paragraph.split()
        line = ""
        x = left + indent
        for word in words:
            candidate = f"{line} {word}" if line else word
            if line and x + text_width(candidate, size) > left + width:
                lines.append((x, y, size, line))
                y -= leading
                line, x = word, left
            else:
                line = candidate
        if line:
            lines.append((x, y, size, line))
        y -= leading * (1 if indent else 2)
    return lines


def _pdf_string(text: str) -> bytes:
    out = bytearray()
    for c in text.encode("cp1252"):
        if c in b"\\()":
            out += b"\\" + bytes([c])
        elif c < 32 or c > 126:
            out += b"\\%03o" % c
        else:
            out.append(c)
    return bytes(out)


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def make_pdf(
    pages: list[list[tuple[float, float, float, str]]],
    info: dict[str, str] | None = None,
    *,
    password: str | None = None,
    images: bool = False,
) -> bytes:
    """A PDF whose pages hold the given lines (x, y, size, text) in Helvetica. With `images`,
    each page without lines shows a small picture instead (a scan: no text layer). With
    `password`, the file is encrypted (RC4, 40 bits) and cannot be opened without it."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    image = (
        add(
            b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\x00\x80\x80\xff\nendstream"
        )
        if images
        else 0
    )
    streams: dict[int, bytes] = {}
    kids = []
    for lines in pages:
        if lines:
            content = b"".join(
                b"BT /F1 %.2f Tf 1 0 0 1 %.2f %.2f Tm (%s) Tj ET\n" % (size, x, y, _pdf_string(t))
                for x, y, size, t in lines
            )
        else:
            content = b"q 400 0 0 500 100 150 cm /Im1 Do Q\n" if images else b""
        c = add(b"")
        streams[c] = content
        resources = b"/Font << /F1 %d 0 R >>" % font + (b" /XObject << /Im1 %d 0 R >>" % image if images else b"")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << %s >> /Contents %d 0 R >>"
                % (pages_id, resources, c)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    file_id = hashlib.md5(repr(pages).encode()).digest()
    trailer_extra = b" /ID [<%s> <%s>]" % (file_id.hex().encode(), file_id.hex().encode())
    key = b""
    if password is not None:
        permissions = -4
        owner_key = hashlib.md5((b"owner" + _PAD)[:32]).digest()[:5]
        owner = _rc4(owner_key, (password.encode() + _PAD)[:32])
        key = hashlib.md5(
            (password.encode() + _PAD)[:32] + owner + permissions.to_bytes(4, "little", signed=True) + file_id
        ).digest()[:5]
        user = _rc4(key, _PAD)
        enc = add(
            b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
            % (owner.hex().encode(), user.hex().encode(), permissions)
        )
        trailer_extra += b" /Encrypt %d 0 R" % enc
    elif info:
        info_id = add(b"<< " + b" ".join(b"/%s (%s)" % (k.encode(), _pdf_string(v)) for k, v in info.items()) + b" >>")
        trailer_extra += b" /Info %d 0 R" % info_id
    for number, content in streams.items():
        if key:
            content = _rc4(hashlib.md5(key + number.to_bytes(3, "little") + b"\x00\x00").digest()[:10], content)
        objects[number - 1] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        trailer_extra,
        xref,
    )
    return bytes(out)
