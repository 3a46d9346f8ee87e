"""Safe documents for download: spreadsheet cells that never run as formulas, PDFs that never fetch.

* User text never turns into a formula in a spreadsheet: a text cell that
  starts with ``= + - @``, a tab or a carriage return gets a leading
  apostrophe (:func:`neutralise`), in CSV and XLSX alike.
* The PDF renderer never fetches anything: :class:`NoNetworkURLFetcher`
  refuses every URL except inline ``data:`` URIs, so a link or image in
  user Markdown cannot make the server request a URL (SSRF) or read a local
  file.
"""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.urls import URLFetcher

# Characters that make Excel, LibreOffice or Google Sheets read a cell as a
# formula (or, for tab and CR, shift what follows into one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CSV_DELIMITER = ";"
XLSX_AMOUNT_FORMAT = "#,##0"
XLSX_SHARE_FORMAT = "0.0%"


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula, made inert with a leading apostrophe.

    Numbers pass unchanged: amounts and years are ints and are never prefixed.
    """
    # Spreadsheets skip leading blanks and line breaks before a formula sign.
    if isinstance(value, str) and value.lstrip(" \n").startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class NoNetworkURLFetcher(URLFetcher):
    """Hands WeasyPrint inline ``data:`` URIs only; refuses (and remembers) every other URL.

    Refused resources are left out of the PDF (WeasyPrint logs a warning and
    goes on). ``refused`` lets tests see what was asked for.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if not url.lower().startswith("data:"):
            self.refused.append(url)
            raise ValueError(f"External resources are not fetched: {url[:200]}")
        return super().fetch(url, headers)


def html_to_pdf(html: str, *, url_fetcher: URLFetcher | None = None) -> bytes:
    """Render a standalone HTML document; nothing is fetched but ``data:`` URIs."""
    fetcher = url_fetcher if url_fetcher is not None else NoNetworkURLFetcher()
    # No base_url: relative links stay relative and never resolve to a file:// path.
    return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf()
