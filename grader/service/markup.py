"""Students' Markdown (with $LaTeX$) as HTML that is inert: what a grader reads of a written
answer, looking as the notebook shows it. markdown-it-py parses with raw HTML off (any tag in
the text comes out as text), links only to http(s), mailto and anchors, and no images (a remote
image would tell a student who read their answer and when). Formulas become MathML on the
server (latex2mathml), so no script or CDN is needed; its output is not trusted either (it
passes `\\href` targets and `\\text{<script>}` through), so only MathML elements and
attributes from a fixed list are written back, every value escaped. Bidirectional controls
(U+202E and kin) are shown as visible marks, so a student's text cannot reorder the page
around it. Long texts and formulas, and those past a page's budget, stay escaped source."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from latex2mathml.converter import convert
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markupsafe import Markup
from mdit_py_plugins.dollarmath import dollarmath_plugin

MAX_FORMULA = 2_000
"""Characters of one formula converted; a longer one is shown as its source."""
MAX_FORMULAS = 500
"""Formulas converted per rendering (one answer, or one notebook); the rest shown as source."""
MAX_MARKDOWN = 20_000
"""Characters of one text parsed as Markdown; a longer one is shown as plain preformatted text.
markdown-it spends about 30 us a character on a text of `[` (benchmarks/markup.py: 0.6 s for
20,000), against well under 1 us on prose."""
MAX_PAGE_MARKDOWN = 60_000
"""Characters parsed as Markdown per rendering (a notebook's cells together; the course's
notebooks have 2,500 to 4,500): past it, cells are shown as plain text, so no notebook costs a
request more than about two seconds."""
MIN_TEXT_COST = 200
"""What each text counts against MAX_PAGE_MARKDOWN at least: parsing has a fixed cost per text
(about 20 us even for an empty one), so a notebook of a million empty cells must not parse free."""
MAX_SIZE_EM = 20.0
"""Largest size or space (in em) a formula may ask for; a larger one is dropped, so a formula
cannot stretch over the page around it (the box it sits in scrolls, clipping the rest)."""

MATHML_TAGS = frozenset(
    [
        "math",
        "mrow",
        "mi",
        "mn",
        "mo",
        "ms",
        "mtext",
        "mspace",
        "mfrac",
        "msqrt",
        "mroot",
        "msub",
        "msup",
        "msubsup",
        "munder",
        "mover",
        "munderover",
        "mtable",
        "mtr",
        "mtd",
        "mstyle",
        "mpadded",
        "mphantom",
        "menclose",
        "mfenced",
        "merror",
        "semantics",
        "annotation",
        "mmultiscripts",
        "mprescripts",
        "none",
    ]
)
MATHML_ATTRIBUTES = frozenset(
    [
        "display",
        "mathvariant",
        "stretchy",
        "fence",
        "separator",
        "lspace",
        "rspace",
        "minsize",
        "maxsize",
        "movablelimits",
        "accent",
        "accentunder",
        "columnalign",
        "rowalign",
        "columnspacing",
        "rowspacing",
        "columnlines",
        "rowlines",
        "frame",
        "width",
        "height",
        "depth",
        "linethickness",
        "displaystyle",
        "scriptlevel",
        "notation",
        "open",
        "close",
        "separators",
        "largeop",
        "symmetric",
        "form",
        "columnspan",
        "rowspan",
        "mathsize",
    ]
)
SAFE_VALUE = re.compile(r"^[\w .,%#+-]{0,100}$")
SIZE = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*(em|ex|px|pt|pc|mm|cm|in|%|mu)?\s*$", re.I)
EM_PER_UNIT = {
    "em": 1.0,
    "ex": 0.5,
    "px": 1 / 16,
    "pt": 1 / 12,
    "pc": 1.0,
    "mm": 0.236,
    "cm": 2.36,
    "in": 6.0,
    "%": 0.01,
    "mu": 1 / 18,
    "": 1.0,
}
"""An attribute value as latex2mathml writes them (sizes, names, numbers): nothing like a URL."""
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
SAFE_LINK = re.compile(r"^(https?:|mailto:|#)", re.I)


def visible_controls(text: str) -> str:
    """Bidirectional controls as visible marks, e.g. `[U+202E]`."""
    return BIDI.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def modest(value: str) -> bool:
    """False for a length of more than MAX_SIZE_EM (`9999em`, `500%`); other values pass."""
    found = SIZE.match(value)
    if found is None:
        return True
    number, unit = float(found.group(1)), (found.group(2) or "").lower()
    return abs(number) * EM_PER_UNIT[unit] <= MAX_SIZE_EM


class _MathMLFilter(HTMLParser):
    """Writes back only the listed MathML elements and attributes; everything else is text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in MATHML_TAGS:
            return
        kept = "".join(
            f' {name}="{html.escape(value)}"'
            for name, value in attrs
            if name in MATHML_ATTRIBUTES and value is not None and SAFE_VALUE.match(value) and modest(value)
        )
        self.out.append(f"<{tag}{kept}>")
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open:
                last = self.open.pop()
                self.out.append(f"</{last}>")
                if last == tag:
                    break

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data))

    def result(self) -> str:
        self.close()
        return "".join(self.out) + "".join(f"</{t}>" for t in reversed(self.open))


def clean_mathml(markup: str) -> str:
    """latex2mathml's output with every element and attribute off the list removed."""
    cleaner = _MathMLFilter()
    cleaner.feed(markup)
    return cleaner.result()


def formula(latex: str, display: bool) -> str:
    """One formula as MathML, or its escaped source when it is too long or does not convert."""
    if len(latex) <= MAX_FORMULA:
        try:
            return clean_mathml(convert(latex, display="block" if display else "inline"))
        except Exception:  # noqa: BLE001 - latex2mathml raises many kinds on bad input; show the source
            pass
    return f'<code class="tex">{html.escape(latex)}</code>'


class _Renderer:
    """One rendering's budget of formulas, shared by every text it renders."""

    def __init__(self) -> None:
        self.left = MAX_FORMULAS
        self.chars_left = MAX_PAGE_MARKDOWN
        self.md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        self.md.disable("image")
        self.md.validateLink = lambda url: bool(SAFE_LINK.match(url.strip()))  # type: ignore[method-assign]
        dollarmath_plugin(self.md, renderer=self._math, allow_labels=False, double_inline=True)
        self.md.add_render_rule("link_open", _link_open)

    def _math(self, latex: str, options: dict[str, Any]) -> str:
        if self.left <= 0:
            return f'<code class="tex">{html.escape(latex)}</code>'
        self.left -= 1
        return formula(latex, bool(options.get("display_mode")))

    def markdown(self, text: str) -> Markup:
        text = visible_controls(text)
        cost = max(len(text), MIN_TEXT_COST)
        if len(text) > MAX_MARKDOWN or cost > self.chars_left:
            return Markup(f'<pre class="long">{html.escape(text)}</pre>')
        self.chars_left -= cost
        return Markup(self.md.render(text))  # noqa: S704 - raw HTML is off; links and math checked


def _link_open(self: RendererHTML, tokens: list, idx: int, options: Any, env: Any) -> str:
    tokens[idx].attrSet("rel", "nofollow noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)


def markdown(text: str) -> Markup:
    """A student's Markdown (one text) as inert HTML."""
    return _Renderer().markdown(text)


def renderer() -> _Renderer:
    """A renderer for several texts of one page (a notebook), sharing one formula budget."""
    return _Renderer()


def plain(text: str) -> str:
    """A student's text to show as preformatted code: bidi controls made visible (Jinja escapes)."""
    return visible_controls(text)
