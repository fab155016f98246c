"""Reading the group pages the way a person does: headings, tables, form values."""
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self._stack, self._cell, self._skip = [], [], None, 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._stack[-1].append([])
        elif tag in ("td", "th") and self._stack:
            self._cell = []
        elif tag == "caption":
            self._skip += 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "table" and self._stack:
            self.tables.append(self._stack.pop())
        elif tag in ("td", "th") and self._cell is not None and self._stack and self._stack[-1]:
            self._stack[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "caption":
            self._skip -= 1

    def handle_data(self, data):
        if self._cell is not None and not self._skip:
            self._cell.append(data)


def tables(html: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def table_after(html: str, heading: str, level: int | None = None) -> list[list[str]]:
    """The first table after a heading with this text (of this level, when given)."""
    index = html.index(f"<h{level}>{heading}</h{level}>" if level else f">{heading}</h")
    return tables(html[index:])[0]


def text(html: str) -> str:
    """The page's text, one space between words (tags dropped)."""
    import re
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
