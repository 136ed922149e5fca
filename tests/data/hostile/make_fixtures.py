"""Regenerate the hostile fixtures (bytes that are awkward to type): python make_fixtures.py."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
RSS_HEAD = b'<?xml version="1.0" encoding="utf-8"?>\n'


def channel(title: bytes) -> bytes:
    return (b'<rss version="2.0">\n<channel>\n<title>' + title + b"</title>\n"
            b"<link>https://example.org/</link>\n<description>d</description>\n"
            b"</channel>\n</rss>\n")


JSON_HEAD = (b'{\n  "version": "https://jsonfeed.org/version/1.1",\n  "title": "t",\n'
             b'  "feed_url": "https://example.org/feed.json",\n  "items": [],\n')
JSON_FEED = JSON_HEAD + b'  "_x": 1\n}\n'


LOLS = b"".join(
    b'  <!ENTITY lol%d "%s">\n' % (i, b"".join(b"&lol%d;" % (i - 1) for _ in range(10)))
    for i in range(1, 10)
)
FIXTURES: dict[str, bytes] = {
    "billion-laughs.xml": RSS_HEAD + b'<!DOCTYPE rss [\n  <!ENTITY lol0 "lol">\n' + LOLS
    + b"]>\n" + channel(b"&lol9;"),
    "quadratic-blowup.xml": RSS_HEAD + b'<!DOCTYPE rss [\n  <!ENTITY a "' + b"A" * 20000
    + b'">\n]>\n' + channel(b"&a;" * 3000),
    "entity-loop.xml": RSS_HEAD + b'<!DOCTYPE rss [\n  <!ENTITY a "x&b;">\n'
    b'  <!ENTITY b "y&a;">\n]>\n' + channel(b"&a;"),
    "external-entity-file.xml": RSS_HEAD + b"<!DOCTYPE rss [\n"
    b'  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n' + channel(b"&xxe;"),
    "external-entity-http.xml": RSS_HEAD + b"<!DOCTYPE rss [\n"
    b'  <!ENTITY xxe SYSTEM "http://127.0.0.1:9/steal">\n]>\n' + channel(b"&xxe;"),
    "external-parameter-entity.xml": RSS_HEAD + b"<!DOCTYPE rss [\n"
    b'  <!ENTITY % dtd SYSTEM "file:///etc/passwd">\n  %dtd;\n]>\n' + channel(b"t"),
    "internal-entity-ok.xml": RSS_HEAD + b'<!DOCTYPE rss [\n  <!ENTITY site "Example">\n]>\n'
    + channel(b"&site; news"),
    "external-dtd-rss091.xml": b'<?xml version="1.0" encoding="ISO-8859-1"?>\n'
    b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"\n'
    b'  "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
    b'<rss version="0.91">\n<channel>\n<title>Old news</title>\n'
    b"<link>http://example.org/</link>\n<description>d</description>\n"
    b"<language>en-us</language>\n</channel>\n</rss>\n",
    "undefined-html-entity.xml": RSS_HEAD + channel(b"Caf&eacute; &amp; more"),
    "nul-byte.xml": RSS_HEAD + channel(b"before\x00after"),
    "invalid-utf8.xml": channel(b"caf\xc3 \xff"),
    "wrong-encoding-declaration.xml": RSS_HEAD + channel("café".encode("latin-1")),
    "declared-latin1-but-utf8.xml": b'<?xml version="1.0" encoding="iso-8859-1"?>\n'
    + channel("café".encode()),
    "unknown-encoding.xml": b'<?xml version="1.0" encoding="klingon-8"?>\n' + channel(b"t"),
    "bom-mismatch.xml": b"\xef\xbb\xbf" + b'<?xml version="1.0" encoding="windows-1252"?>\n'
    + channel(b"t"),
    "utf16-with-bom.xml": ('<?xml version="1.0" encoding="utf-16"?>\n'
                           + channel(b"caf\xc3\xa9").decode()).encode("utf-16"),
    "garbage.bin": bytes(range(256)) * 4,
    "empty.xml": b"",
    "whitespace-only.xml": b"  \n\t\n",
    "not-well-formed.xml": RSS_HEAD + b'<rss version="2.0">\n<channel>\n<title>A & B</title>\n'
    b"</channel>\n</rss>\n",
    "truncated.xml": RSS_HEAD + channel(b"t")[:60],
    "deep-nesting.xml": RSS_HEAD + b'<rss version="2.0"><channel>' + b"<x:a xmlns:x='urn:x'>" * 300
    + b"</x:a>" * 300 + b"</channel></rss>\n",
    "html-page.html": b"<!DOCTYPE html>\n<html>\n<head><title>Blog</title></head>\n"
    b"<body><p>Subscribe!</p></body>\n</html>\n",
    "broken.json": b'{\n  "version": "https://jsonfeed.org/version/1.1",\n'
    b'  "title": "x",\n  "items": [,]\n}\n',
    "deep-nesting.json": JSON_HEAD + b'  "_deep": ' + b"[" * 5000 + b"]" * 5000 + b"\n}\n",
    "huge-number.json": JSON_HEAD + b'  "_n": ' + b"9" * 5000 + b"\n}\n",
    "nan.json": JSON_HEAD + b'  "_ratio": NaN\n}\n',
    "invalid-utf8.json": JSON_HEAD + b'  "description": "caf\xc3 \xff"\n}\n',
    "nul-byte.json": JSON_HEAD + b'  "description": "before\x00after"\n}\n',
    "bom.json": b"\xef\xbb\xbf" + JSON_FEED,
    "top-level-array.json": b"\n  [" + JSON_FEED.strip() + b"]\n",
    "null.json": b"null\n",
    "garbage.json": b'{\n  "version": "https://jsonfeed.org/version/1.1",\n'
    b"  \x01\x02\x03 junk\n}\n",
}

if __name__ == "__main__":
    for name, data in FIXTURES.items():
        (HERE / name).write_bytes(data)
