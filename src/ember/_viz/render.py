"""Writers for a laid-out graph: SVG (hand-written), PNG (matplotlib) and DOT (Graphviz's language)."""

from __future__ import annotations

import itertools
from xml.sax.saxutils import escape

__all__ = ["EDGE", "FILL", "HEAD_SIZE", "LEGEND_ROW", "LINE_SIZE", "MARGIN", "MONO", "SANS", "STROKE", "SWATCH", "TEXT",
           "TITLE_SIZE", "frame", "measure", "to_dot", "to_png", "to_svg"]


FILL = {"op": "#e4e4e4", "leaf": "#cfe6ff", "output": "#caff70", "saved": "#ffd59e", "const": "#ffffff"}
STROKE = {"op": "#8a8a8a", "leaf": "#4a7fb5", "output": "#6b8e23", "saved": "#d9822b", "const": "#b0b0b0"}
TEXT = {"title": "#111111", "shape": "#444444", "value": "#1a1a1a", "grad": "#b3261e", "note": "#7a5c00"}
EDGE = {"solid": "#555555", "dashed": "#d9822b", "bcast": "#c62828"}

TITLE_SIZE = 13.0
LINE_SIZE = 11.0
PAD_X, PAD_Y, LINE_GAP = 10.0, 7.0, 3.0
SANS = "Helvetica, Arial, DejaVu Sans, sans-serif"
MONO = "DejaVu Sans Mono, Menlo, Consolas, monospace"


def measure(node) -> None:
    """Set ``w, h`` of a node from its text (widths estimated per character: no font machinery needed)."""
    w = len(node.title) * TITLE_SIZE * 0.62
    h = TITLE_SIZE
    for text, _ in node.lines:
        w = max(w, len(text) * LINE_SIZE * 0.61)
        h += LINE_GAP + LINE_SIZE
    node.w = w + 2 * PAD_X
    node.h = h + 2 * PAD_Y + 2


HEAD_SIZE = 15.0
MARGIN = 12.0
LEGEND_ROW = 17.0
SWATCH = {"value": "1.5", "grad": "g"}  # legend rows for kinds of text lines show a sample in their colour


def frame(size, nodes, edges, title: str, legend: list) -> tuple[float, float]:
    """Make room for the title above the laid-out graph and the legend below it: shift every box and edge down
    by the title's band and return the whole picture's (width, height)."""
    width, height = size
    top = (HEAD_SIZE + 2 * MARGIN) if title else 0.0
    for n in nodes:
        n.y += top
    for e in edges:
        e.points = [(x, y + top) for x, y in e.points]
    width = max(width, len(title) * HEAD_SIZE * 0.62 + 2 * MARGIN,
                max((len(t) * LINE_SIZE * 0.6 + 40 + 2 * MARGIN for _, t in legend), default=0.0))
    return width, height + top + (len(legend) * LEGEND_ROW + 2 * MARGIN if legend else 0.0)


def _legend_rows(legend, height: float):
    """(kind, text, y) of each legend row, from the bottom of the picture up."""
    y0 = height - MARGIN - len(legend) * LEGEND_ROW
    return [(k, t, y0 + (i + 0.5) * LEGEND_ROW) for i, (k, t) in enumerate(legend)]


def _edge_path(points) -> str:
    """Cubic pieces with vertical tangents through the edge's points: smooth S-curves between layers."""
    (x0, y0) = points[0]
    d = [f"M{x0:.1f},{y0:.1f}"]
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        my = (y1 + y2) / 2
        d.append(f"C{x1:.1f},{my:.1f} {x2:.1f},{my:.1f} {x2:.1f},{y2:.1f}")
    return " ".join(d)


def _trim_end(points, by: float = 2.0):
    """Stop the line a little above the box so the arrowhead's tip touches it."""
    pts = list(points)
    x, y = pts[-1]
    pts[-1] = (x, y - by)
    return pts


def to_svg(nodes, edges, width: float, height: float, title: str = "", legend: list = ()) -> str:
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.1f} {height:.1f}" font-family="{SANS}">'),
           "<defs>"]
    for style, color in EDGE.items():
        out.append(f'<marker id="arrow-{style}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
                   f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{color}"/>'
                   "</marker>")
    out.append("</defs>")
    out.append('<rect width="100%" height="100%" fill="white"/>')
    for e in edges:
        color = EDGE[e.style]
        dash = ' stroke-dasharray="5,4"' if e.style == "dashed" else ""
        width_ = 1.8 if e.style == "bcast" else 1.3
        out.append(f'<path d="{_edge_path(_trim_end(e.points))}" fill="none" stroke="{color}" '
                   f'stroke-width="{width_}"{dash} marker-end="url(#arrow-{e.style})"/>')
        if e.label:
            (x1, y1), (x2, y2) = e.points[-2], e.points[-1]
            lx, ly = (x1 + x2) / 2 + 6, (y1 + y2) / 2
            out.append(f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="10.5" fill="{color}" '
                       f'font-style="italic">{escape(e.label)}</text>')
    for n in nodes:
        x0, y0 = n.x - n.w / 2, n.y - n.h / 2
        out.append(f'<g><title>{escape(n.title)}</title>')
        out.append(f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{n.w:.1f}" height="{n.h:.1f}" rx="6" '
                   f'fill="{FILL[n.kind]}" stroke="{STROKE[n.kind]}" stroke-width="1.2"/>')
        y = y0 + PAD_Y + TITLE_SIZE
        out.append(f'<text x="{n.x:.1f}" y="{y:.1f}" font-size="{TITLE_SIZE}" font-weight="bold" '
                   f'text-anchor="middle" fill="{TEXT["title"]}">{escape(n.title)}</text>')
        for text, style in n.lines:
            y += LINE_GAP + LINE_SIZE
            fam = f' font-family="{MONO}"' if style in ("value", "grad") else ""
            out.append(f'<text x="{n.x:.1f}" y="{y:.1f}" font-size="{LINE_SIZE}" text-anchor="middle"{fam} '
                       f'xml:space="preserve" fill="{TEXT[style]}">{escape(text)}</text>')
        out.append("</g>")
    if title:
        out.append(f'<text x="{MARGIN:.1f}" y="{MARGIN + HEAD_SIZE:.1f}" font-size="{HEAD_SIZE}" font-weight="bold" '
                   f'font-family="{MONO}" fill="{TEXT["title"]}">{escape(title)}</text>')
    for kind, text, y in _legend_rows(legend, height):
        x = MARGIN
        if kind in FILL:
            out.append(f'<rect x="{x:.1f}" y="{y - 6:.1f}" width="26" height="12" rx="3" fill="{FILL[kind]}" '
                       f'stroke="{STROKE[kind]}"/>')
        elif kind in EDGE:
            out.append(f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 26:.1f}" y2="{y:.1f}" stroke="{EDGE[kind]}" '
                       'stroke-width="1.8"/>')
        else:
            out.append(f'<text x="{x:.1f}" y="{y + 4:.1f}" font-size="{LINE_SIZE}" fill="{TEXT[kind]}" '
                       f'font-family="{MONO}">{SWATCH.get(kind, "")}</text>')
        out.append(f'<text x="{x + 34:.1f}" y="{y + 4:.1f}" font-size="{LINE_SIZE}" '
                   f'fill="{TEXT[kind] if kind in TEXT else TEXT["shape"]}">{escape(text)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def to_png(nodes, edges, width: float, height: float, path: str, title: str = "", legend: list = (),
           dpi: int = 150) -> None:
    """Draw the same layout with matplotlib (when the Graphviz program is not there to do it)."""
    try:
        import matplotlib
        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
        from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
        from matplotlib.path import Path
    except ImportError:
        raise RuntimeError("saving a graph as .png needs matplotlib (pip install matplotlib) or the Graphviz "
                           "program 'dot' on PATH; .svg and .dot need neither") from None
    scale = 1 / 96  # SVG pixels to inches
    fig = plt.figure(figsize=(max(width, 1) * scale, max(height, 1) * scale), dpi=dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    pt = 72 / 96  # SVG px to points
    for e in edges:
        pts = _trim_end(e.points, 0.5)
        verts, codes = [pts[0]], [Path.MOVETO]
        for (x1, y1), (x2, y2) in itertools.pairwise(pts):
            my = (y1 + y2) / 2
            verts += [(x1, my), (x2, my), (x2, y2)]
            codes += [Path.CURVE4] * 3
        color = EDGE[e.style]
        ax.add_patch(FancyArrowPatch(path=Path(verts, codes), arrowstyle="-|>,head_length=5,head_width=2.6",
                                     color=color, lw=1.8 if e.style == "bcast" else 1.1,
                                     linestyle="--" if e.style == "dashed" else "-", shrinkA=0, shrinkB=0))
        if e.label:
            (x1, y1), (x2, y2) = e.points[-2], e.points[-1]
            ax.text((x1 + x2) / 2 + 6, (y1 + y2) / 2, e.label, color=color, fontsize=10.5 * pt,
                    style="italic", va="center")
    for n in nodes:
        ax.add_patch(FancyBboxPatch((n.x - n.w / 2, n.y - n.h / 2), n.w, n.h,
                                    boxstyle="round,pad=0,rounding_size=6", fc=FILL[n.kind],
                                    ec=STROKE[n.kind], lw=1.0))
        y = n.y - n.h / 2 + PAD_Y + TITLE_SIZE
        ax.text(n.x, y, n.title, ha="center", va="baseline", fontsize=TITLE_SIZE * pt, weight="bold",
                color=TEXT["title"])
        for text, style in n.lines:
            y += LINE_GAP + LINE_SIZE
            ax.text(n.x, y, text, ha="center", va="baseline", fontsize=LINE_SIZE * pt, color=TEXT[style],
                    family="monospace" if style in ("value", "grad") else "sans-serif")
    if title:
        ax.text(MARGIN, MARGIN + HEAD_SIZE, title, ha="left", va="baseline", fontsize=HEAD_SIZE * pt,
                weight="bold", family="monospace", color=TEXT["title"])
    for kind, text, y in _legend_rows(legend, height):
        if kind in FILL:
            ax.add_patch(FancyBboxPatch((MARGIN, y - 6), 26, 12, boxstyle="round,pad=0,rounding_size=3",
                                        fc=FILL[kind], ec=STROKE[kind], lw=0.8))
        elif kind in EDGE:
            ax.plot([MARGIN, MARGIN + 26], [y, y], color=EDGE[kind], lw=1.4)
        else:
            ax.text(MARGIN, y + 4, SWATCH.get(kind, ""), fontsize=LINE_SIZE * pt, color=TEXT[kind], family="monospace")
        ax.text(MARGIN + 34, y + 4, text, fontsize=LINE_SIZE * pt, va="baseline",
                color=TEXT[kind] if kind in TEXT else TEXT["shape"])
    fig.savefig(path, dpi=dpi, facecolor="white")
    plt.close(fig)


def _dot_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(nodes, edges, title: str = "", legend: list = ()) -> str:
    """Graphviz source: boxes as HTML-free multi-line labels, colours as in the SVG; the title as the graph's
    label, the legend as a note box below the graph."""
    head = f' label={_dot_str(title)} labelloc=t fontname="Courier-Bold" fontsize=15' if title else ""
    out = ["digraph {",
           f'\tgraph [size="12,12" nodesep=0.25 ranksep=0.45{head}]',
           '\tnode [fontname="Helvetica" fontsize=12 shape=box style="filled,rounded" height=0.2]',
           '\tedge [color="#555555" arrowsize=0.7]']
    for n in nodes:
        label = "\\n".join([n.title.replace('"', '\\"')] + [t.replace('"', '\\"') for t, _ in n.lines])
        out.append(f'\t{_dot_str(n.id)} [label="{label}" fillcolor="{FILL[n.kind]}" color="{STROKE[n.kind]}"]')
    for e in edges:
        attrs = [f'color="{EDGE[e.style]}"']
        if e.style == "dashed":
            attrs.append("style=dashed")
        if e.style == "bcast":
            attrs.append("penwidth=1.8")
        if e.label:
            attrs.append(f"label={_dot_str(e.label)} fontcolor=\"{EDGE[e.style]}\" fontsize=10")
        out.append(f"\t{_dot_str(e.src)} -> {_dot_str(e.dst)} [{' '.join(attrs)}]")
    if legend:
        names = {"leaf": "blue", "op": "grey", "output": "green", "const": "white", "saved": "orange",
                 "bcast": "red arrow", "grad": "red text"}
        rows = "\\l".join(f"{names.get(k, k)}: {t}".replace('"', '\\"') for k, t in legend) + "\\l"
        out.append(f'\tlegend [label="{rows}" shape=note fillcolor="#ffffff" fontsize=10 rank=sink]')
    out.append("}")
    return "\n".join(out) + "\n"
