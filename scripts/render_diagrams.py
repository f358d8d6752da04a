"""Draw every ```mermaid fence under docs/ as an SVG, ahead of time (``make diagrams``).

Readers download no Mermaid JavaScript: the build (sitebuild/diagrams.py) puts the
committed SVG of each fence inline in its page, and stops when one is missing. This
script is how the SVGs are made:

* it finds the fences with the build hook's own ``mermaid_fences`` and names each SVG
  with the hook's ``diagram_name`` (the first 16 hex digits of the sha256 of the fence
  body), so script and build always agree;
* it draws them with the local ``node_modules/mermaid/dist/mermaid.min.js`` in headless
  Debian Chromium (the full browser ``make bench`` uses, not the tests' headless shell;
  ``SHEGONG_CHROMIUM`` overrides the path), with no network;
* labels are SVG text (``htmlLabels: false``, no foreignObject) in a Chinese system
  font; the drawing has its own white background and the site's indigo, so it reads
  the same in the light and the dark scheme; it is ``role="img"`` with a ``<title>``
  (the fence's ``accTitle:``, required) and a ``<desc>`` (the fence's ``accDescr:``, or
  for a flowchart every arrow written out);
* it stops when Mermaid would break a label line on its own (edge labels wrap at
  200 px, in Chinese mid-word): write ``<br>`` where the line should break;
* the drawing is the same on every run on the same machine (fixed ids); the label
  boxes are measured with this machine's Noto Sans CJK SC;
* it writes ``docs/assets/diagrams/<name>.svg`` (only when the drawing changed) and
  deletes SVGs that no fence uses any more.

Usage: .venv/bin/python scripts/render_diagrams.py [--check]
``--check`` draws nothing: it lists fences without an SVG and SVGs without a fence, and
exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MERMAID_JS = ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"

# Debian's full Chromium (SHEGONG_CHROMIUM overrides the path).
from sitebuild import devserver  # noqa: E402
from sitebuild.diagrams import DIAGRAM_DIR, diagram_name, mermaid_fences  # noqa: E402


OUT = DOCS / DIAGRAM_DIR

# Fonts present on phones (Android: Noto Sans CJK; iOS: PingFang) and on this machine
# (fonts-noto-cjk), which measures the labels.
FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", sans-serif'
# The site's indigo on a white card, the same in both colour schemes of the page.
# WCAG contrast: text #1a1a1a 17.4:1 on white, 14.5:1 on the node fill #e8eaf6; node
# borders #3949ab 7.7:1 (6.5:1 against the fill); arrows #424242 10.1:1.
CONFIG = {
    "startOnLoad": False,
    "securityLevel": "strict",
    "theme": "base",
    "htmlLabels": False,
    "markdownAutoWrap": False,
    "fontFamily": FONT,
    "themeVariables": {
        "fontFamily": FONT,
        "fontSize": "16px",
        "background": "#ffffff",
        "primaryColor": "#e8eaf6",
        "primaryBorderColor": "#3949ab",
        "primaryTextColor": "#1a1a1a",
        "secondaryColor": "#f5f5f5",
        "tertiaryColor": "#ffffff",
        "lineColor": "#424242",
        "textColor": "#1a1a1a",
        "edgeLabelBackground": "#ffffff",
    },
    "flowchart": {"htmlLabels": False, "diagramPadding": 12, "nodeSpacing": 30, "rankSpacing": 40, "wrappingWidth": 1000},
}
BACKGROUND = "#ffffff"
# After Mermaid's own rules: edge labels on an opaque background, so the line they sit
# on does not run through the text.
EXTRA_CSS = "#{id} .edgeLabel rect{{opacity:1;fill:#ffffff;}}#{id} .edgeLabel text{{fill:#1a1a1a;}}"

RENDER = """async ({id, body, config, css, background}) => {
  mermaid.initialize({...config, deterministicIds: true, deterministicIDSeed: id});
  const {svg} = await mermaid.render(id, body);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(body);
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  const NS = 'http://www.w3.org/2000/svg';
  const title = root.querySelector(':scope > title');
  if (!title || !title.textContent.trim()) return {error: 'no-title'};

  const isFlowchart = diagram.type.startsWith('flowchart');
  // Label lines joined with a comma (none after a line that ends in punctuation).
  const plain = (t) => String(t || '').replace(/([,,;;、。::])?\\s*<br\\s*\\/?>\\s*/gi, (m, p) => p || ',')
    .replace(/<[^>]*>/g, '').trim();
  const vertices = isFlowchart ? diagram.db.getVertices() : new Map();
  const get = (k) => vertices instanceof Map ? vertices.get(k) : vertices[k];
  const name = (k) => plain((get(k) || {}).text || k);
  const edges = isFlowchart ? diagram.db.getEdges() : [];

  // Mermaid breaks an SVG label line wider than 200 px wherever it likes, in Chinese
  // mid-word: every line the author wrote must come out as one row.
  if (isFlowchart) {
    const rows = new Set([...root.querySelectorAll('tspan.row')].map((t) => t.textContent.trim()));
    const labels = [...(vertices instanceof Map ? vertices.values() : Object.values(vertices))].map((v) => v.text)
      .concat(edges.map((e) => e.text));
    const broken = labels.flatMap((t) => String(t || '').split(/<br\\s*\\/?>/i))
      .map((l) => l.replace(/<[^>]*>/g, '').trim()).filter((l) => l && !rows.has(l));
    if (broken.length) return {error: 'wrapped', lines: broken};
  }

  // A text alternative of what the arrows say, unless the author wrote one.
  let desc = root.querySelector(':scope > desc');
  if (!desc && isFlowchart) {
    const arrows = edges.map((e) =>
      name(e.start) + ' → ' + name(e.end) + (plain(e.text) ? '(' + plain(e.text) + ')' : ''));
    desc = doc.createElementNS(NS, 'desc');
    desc.textContent = arrows.join(';') + '。';
    title.after(desc);
  }
  if (desc) {
    desc.setAttribute('id', id + '-desc');
    root.setAttribute('aria-describedby', id + '-desc');
  }
  title.setAttribute('id', id + '-title');
  root.setAttribute('aria-labelledby', id + '-title');
  root.setAttribute('role', 'img');
  root.removeAttribute('aria-roledescription');

  // An intrinsic size (the theme scales it down to the column: max-width 100%).
  const [x, y, w, h] = root.getAttribute('viewBox').trim().split(/[\\s,]+/).map(Number);
  root.setAttribute('width', String(Math.ceil(w)));
  root.setAttribute('height', String(Math.ceil(h)));
  root.setAttribute('style', 'max-width: 100%; height: auto;');

  // Its own light card, in either colour scheme of the page.
  const card = doc.createElementNS(NS, 'rect');
  for (const [k, v] of [['class', 'sg-background'], ['x', x], ['y', y], ['width', w], ['height', h], ['rx', 6], ['fill', background]]) {
    card.setAttribute(k, String(v));
  }
  const style = root.querySelector(':scope > style');
  style.textContent += css;
  style.after(card);

  // Layout data for Mermaid's interactivity, not needed to show the drawing.
  for (const el of root.querySelectorAll('[data-points]')) el.removeAttribute('data-points');
  return {svg: new XMLSerializer().serializeToString(root), type: diagram.type};
}"""


def find_fences() -> dict[str, list[tuple[Path, dict]]]:
    """name -> the fences (page, fence) drawn by that SVG."""
    found: dict[str, list[tuple[Path, dict]]] = {}
    for page in sorted(DOCS.rglob("*.md")):
        for fence in mermaid_fences(page.read_text(encoding="utf-8")):
            found.setdefault(diagram_name(fence["body"]), []).append((page, fence))
    return found


def where(page: Path, fence: dict) -> str:
    return f"{page.relative_to(ROOT)}:{fence['line']}"


def render(fences: dict[str, list[tuple[Path, dict]]]) -> dict[str, str]:
    from playwright.sync_api import sync_playwright

    if not MERMAID_JS.is_file():
        sys.exit(f"找不到 {MERMAID_JS.relative_to(ROOT)}:请先运行 make node(npm ci)")
    if not Path(devserver.CHROMIUM).exists():
        sys.exit(f"找不到 Chromium({devserver.CHROMIUM}):请先运行 make chromium")
    out: dict[str, str] = {}
    with sync_playwright() as pw:
        browser = devserver.launch(pw)
        context = browser.new_context(locale="zh-CN")
        context.route("**/*", lambda route: route.abort())  # nothing from the network
        page = context.new_page()
        page.set_content('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body></body></html>')
        page.add_script_tag(content=MERMAID_JS.read_text(encoding="utf-8"))
        page.evaluate("document.fonts.ready.then(() => true)")
        for name, uses in sorted(fences.items()):
            first_page, fence = uses[0]
            diagram_id = f"sg-diagram-{name}"
            try:
                result = page.evaluate(RENDER, {
                    "id": diagram_id, "body": fence["body"], "config": CONFIG,
                    "css": EXTRA_CSS.format(id=diagram_id), "background": BACKGROUND,
                })
            except Exception as exc:  # Mermaid's parse error, with its line
                sys.exit(f"{where(first_page, fence)}: Mermaid 无法画出这张图:{exc}")
            if result.get("error") == "no-title":
                sys.exit(
                    f"{where(first_page, fence)}: 流程图缺少标题。请在 ```mermaid 代码块的第二行写 "
                    "accTitle: 图的标题(它会成为图注和读屏软件读出的名称)"
                )
            if result.get("error") == "wrapped":
                sys.exit(
                    f"{where(first_page, fence)}: 这些标签行太长,Mermaid 会在词中间折行:{result['lines']}。"
                    "请在标签里用 <br> 指定换行(每行约12个汉字以内)"
                )
            out[name] = '<?xml version="1.0" encoding="UTF-8"?>\n' + result["svg"] + "\n"
        browser.close()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="只检查,不生成:缺少 SVG 或有多余 SVG 时返回 1")
    args = ap.parse_args(argv)

    fences = find_fences()
    existing = {p.stem: p for p in OUT.glob("*.svg")} if OUT.is_dir() else {}
    orphans = sorted(set(existing) - set(fences))
    if args.check:
        missing = sorted(set(fences) - set(existing))
        for name in missing:
            print(f"缺少 {OUT.relative_to(ROOT)}/{name}.svg({', '.join(where(p, f) for p, f in fences[name])})")
        for name in orphans:
            print(f"多余 {existing[name].relative_to(ROOT)}(没有流程图用它)")
        if missing or orphans:
            print("请运行 make diagrams 并提交 docs/assets/diagrams/")
            return 1
        print(f"{len(fences)} 张流程图都有对应的 SVG")
        return 0

    drawn = render(fences)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, svg in drawn.items():
        target = OUT / f"{name}.svg"
        uses = ", ".join(where(p, f) for p, f in fences[name])
        if target.is_file() and target.read_text(encoding="utf-8") == svg:
            print(f"未变 {target.relative_to(ROOT)}  ← {uses}")
            continue
        target.write_text(svg, encoding="utf-8")
        print(f"写入 {target.relative_to(ROOT)} ({len(svg.encode()):,} B)  ← {uses}")
    for name in orphans:
        existing[name].unlink()
        print(f"删除 {existing[name].relative_to(ROOT)}(没有流程图用它)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
