"""A parsed feed as the rules see it: an XML tree or a JSON value, plus what locates a finding."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any

from lxml import etree

from feedwright.validator.json_position import JsonLocator
from feedwright.validator.json_position import Step


@dataclass
class Document:
    """One parsed input handed to every rule of its format.

    Rules judge bytes, not our model: this holds only what the input itself
    says, plus the two facts from outside that some rules need.
    """

    #: The input as the user named it (path, URL or ``-``).
    name: str
    #: The raw bytes, for columns and encoding checks.
    data: bytes
    #: The parsed root element.
    root: etree._Element
    #: One of report.REPORT_FORMATS.
    format: str
    #: Reference time for "dated in the future" rules (timezone-aware).
    now: datetime
    #: The URL the document was fetched from, when it was; self links must match it.
    location: str | None = None
    #: Hold the document to feedwright's own standard (``--strict``, the build
    #: gate): rules that would be noise for third-party feeds run only then.
    strict: bool = False
    _lines: list[bytes] | None = field(default=None, repr=False)
    #: What rules derive from the tree and share (see ``memo``).
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, called once per document for ``key``.

        Several rules read the same things (the text fields, each HTML
        field's tags); they compute them once and share.  The tree must not
        change while rules run.
        """
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = compute()
            return value

    def where(self, node: etree._Element | None) -> tuple[int | None, int | None]:
        """Line and column of the start tag of ``node`` (1-based), when known.

        lxml records only lines, so the column is found by looking for the
        tag's qualified name on that line; a miss gives column 1.
        """
        if node is None:
            return None, None
        line: int | None = getattr(node, "sourceline", None)  # lxml-stubs mistype it
        if line is None:
            return None, None
        if self._lines is None:
            self._lines = self.data.split(b"\n")
        if line - 1 >= len(self._lines):
            return line, None
        qname = etree.QName(node).localname
        if node.prefix:
            qname = f"{node.prefix}:{qname}"
        text = self._lines[line - 1]
        at = text.find(b"<" + qname.encode("utf-8"))
        column = len(text[:at].decode("utf-8", "replace")) + 1 if at >= 0 else 1
        return line, column


@dataclass
class JsonDocument:
    """One parsed JSON Feed handed to every rule of its format (``jsonfeed1``).

    The rules read plain Python values (``json.loads``' output); where a
    finding is, is found in the text only when it is reported (``where``).
    """

    #: The input as the user named it (path, URL or ``-``).
    name: str
    #: The raw bytes.
    data: bytes
    #: The decoded text (without a byte order mark); positions are offsets into it.
    text: str
    #: The top-level object.
    feed: dict[str, Any]
    #: One of report.REPORT_FORMATS (``jsonfeed1`` for JSON Feed 1.0 and 1.1 alike).
    format: str
    #: Reference time for "dated in the future" rules (timezone-aware).
    now: datetime
    #: The URL the document was fetched from, when it was.
    location: str | None = None
    #: Hold the document to feedwright's own standard (see ``Document.strict``).
    strict: bool = False
    _locator: JsonLocator | None = field(default=None, repr=False)
    #: What rules derive from the value and share (see ``memo``).
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, called once per document for ``key`` (as ``Document.memo``)."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = compute()
            return value

    def where(self, path: Sequence[Step]) -> tuple[int | None, int | None]:
        """Line and column (1-based, in characters) of the value at ``path``.

        A path to a key the value lacks gives the object that lacks it.
        """
        if self._locator is None:
            self._locator = JsonLocator(self.text)
        return self._locator.where(path)
