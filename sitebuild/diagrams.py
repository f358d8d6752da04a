"""Flowcharts drawn ahead of time: each ```mermaid fence of a page is replaced by its
committed SVG (``make diagrams`` draws them into docs/assets/diagrams/, named by the hash
of the fence body), inline in a <figure>. Readers download no Mermaid, and the theme,
seeing no ``.mermaid`` element, fetches none from a CDN. A fence without its SVG stops the
build. scripts/render_diagrams.py uses the same two functions to find and name fences.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

# A fence opening or closing line: indentation, ``` or ~~~ (three or more), info string.
FENCE_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*?)[ \t]*$")
MERMAID_INFO = re.compile(r"^mermaid(?![\w-])")
# Relative to docs_dir; excluded from the site in mkdocs.yml, as each one is inlined.
DIAGRAM_DIR = Path("assets") / "diagrams"
XML_PROLOG = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?")
SVG_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.S)


class MissingDiagram(Exception):
    pass


def mermaid_fences(markdown: str) -> list[dict]:
    """Every ```mermaid fence of a page, in order.

    Each is ``{"start", "end", "indent", "body", "line"}``: the fence's lines are
    ``lines[start:end]`` of ``markdown.split("\n")``, ``line`` is its 1-based line number,
    ``body`` the text between the fence lines without the fence's indentation and
    trailing spaces (what Mermaid draws, and what the SVG's name is hashed from).
    Fences of other languages are skipped whole, so an example inside one is not a
    diagram; an unclosed fence runs to the end of the page, as in Markdown.
    """
    lines = markdown.split("\n")
    found = []
    i = 0
    while i < len(lines):
        m = FENCE_LINE.match(lines[i])
        if not m or (m.group("fence")[0] == "`" and "`" in m.group("info")):
            i += 1
            continue
        indent, fence = m.group("indent"), m.group("fence")
        j = i + 1
        while j < len(lines):
            c = FENCE_LINE.match(lines[j])
            if c and not c.group("info") and c.group("fence")[0] == fence[0] and len(c.group("fence")) >= len(fence):
                break
            j += 1
        if MERMAID_INFO.match(m.group("info")):
            body = [
                line[len(indent):] if line.startswith(indent) else line.lstrip(" \t")
                for line in lines[i + 1:j]
            ]
            found.append({
                "start": i,
                "end": min(j + 1, len(lines)),
                "indent": indent,
                "line": i + 1,
                "body": "\n".join(line.rstrip() for line in body).strip("\n") + "\n",
            })
        i = j + 1
    return found


def diagram_name(body: str) -> str:
    """The file name (without .svg) of the drawing of a fence body."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def _figure(svg_file: Path) -> str:
    """The committed SVG inline in a <figure>, with its <title> as the caption."""
    svg = XML_PROLOG.sub("", svg_file.read_text(encoding="utf-8")).strip()
    title = SVG_TITLE.search(svg)
    caption = (
        f"<figcaption>{html.escape(html.unescape(title.group(1).strip()), quote=False)}</figcaption>"
        if title else ""
    )
    return f'<figure class="sg-diagram">{svg}{caption}</figure>'


def take(markdown: str, src: str, docs_dir: Path) -> tuple[str, dict[str, str]]:
    """Each fence replaced by a placeholder line, and the figures for ``put_back``.

    The SVG never goes through the markers (Mermaid's ``{{hexagon}}`` is no marker) or
    Markdown (which would wrap it in <p> inside a list, and read ``*`` or ``_`` in its
    text as emphasis).
    """
    fences = mermaid_fences(markdown)
    lines = markdown.split("\n")
    figures: dict[str, str] = {}
    for n, fence in reversed(list(enumerate(fences))):
        name = diagram_name(fence["body"])
        svg_file = docs_dir / DIAGRAM_DIR / f"{name}.svg"
        if not svg_file.is_file():
            raise MissingDiagram(
                f"{src}: 第{n + 1}个 Mermaid 流程图(```mermaid 代码块)没有对应的 SVG 文件 "
                f"docs/{DIAGRAM_DIR.as_posix()}/{name}.svg。流程图改过之后,请运行 make diagrams "
                "重新生成 SVG,并把它和页面一起提交。"
            )
        key = f"sgdiagram{n}x{name}"
        figures[key] = _figure(svg_file)
        lines[fence["start"]:fence["end"]] = ["", fence["indent"] + key, ""]
    return ("\n".join(lines) if fences else markdown), figures


def put_back(page_html: str, figures: dict[str, str], src: str) -> str:
    """Each figure in the place of its placeholder paragraph."""
    for key, figure in figures.items():
        page_html, n = re.subn(rf"<p>\s*{key}\s*</p>|{key}", lambda _: figure, page_html, count=1)
        if n != 1:
            raise MissingDiagram(f"{src}: 流程图的位置在 Markdown 转换后找不到了({key})")
    return page_html
