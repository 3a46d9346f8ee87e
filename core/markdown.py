"""User text as HTML: Markdown rendered, then sanitised with nh3.

Text is stored as written; this is the only way it reaches a page or a PDF.
nh3 (ammonia) keeps an allow-list of tags and attributes, so no script,
event handler, style or ``javascript:`` link survives, whatever the Markdown
(or raw HTML inside it) says.
"""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


def render_markdown(text: str | None) -> SafeString:
    """Markdown to sanitised HTML; headings start at h3 so they never compete with the page's own."""
    if not text:
        return mark_safe("")  # noqa: S308
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    for level in (2, 1):  # shift # and ## down to h3/h4 before sanitising drops them
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(f"</h{level}>", f"</h{level + 2}>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308  (nh3 output is safe by construction)
