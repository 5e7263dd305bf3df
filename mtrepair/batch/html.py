"""HTML input: extract the article text (and its title, date and URL) with trafilatura.

trafilatura is an optional dependency (``pip install 'mtrepair[html]'``); without it
an HTML input becomes an error record that says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

#: Metadata fields kept from trafilatura (when present).
METADATA_FIELDS = ("title", "author", "date", "url", "hostname", "sitename", "description", "language")


class HtmlSupportMissing(RuntimeError):
    """trafilatura is not installed."""


@dataclass(frozen=True)
class Extracted:
    """Article text extracted from a page; paragraphs are separated by a blank line."""

    text: str
    metadata: Mapping[str, Any] = field(default_factory=dict)


def extract_article(html: str, url: str | None = None) -> Extracted:
    """Main text and metadata of an HTML page.

    Raises :class:`HtmlSupportMissing` without trafilatura and ``ValueError``
    when the page holds no article text.
    """
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - depends on the install
        raise HtmlSupportMissing(
            "HTML input needs trafilatura: pip install 'mtrepair[html]'"
        ) from None
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise ValueError("no article text found in the HTML page")
    # trafilatura puts one paragraph per line; mtrepair reads blank-line-separated paragraphs.
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    meta = {k: getattr(doc, k) for k in METADATA_FIELDS if getattr(doc, k, None)}
    return Extracted("\n\n".join(paragraphs), meta)
