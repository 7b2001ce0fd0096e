// Where the route graph's nodes, edges and labels go, and how their text wraps.
// Two layouts: "columns" (dagre, left to right: host → path → Service → workload) when it fits the canvas
// at a legible zoom, else "outline" (an indented tree as wide as the canvas, children under their parent),
// so that no text is ever drawn below MIN_TEXT_PX and no column is cut off at "fit". Long names wrap at
// '/', '.', '-', ':' and spaces instead of being cut.

import dagre from '@dagrejs/dagre';
import type { GraphEdge, GraphNode } from '../../../server/src/protocol/preview';
import { showHiddenCharacters, splitHiddenCharacters } from '../../../server/src/protocol/escape';
import type { TextPiece } from '../../../server/src/protocol/escape';

/** Font sizes of the graph's SVG text (style.css uses the same numbers). */
export const FONT = { label: 13, detail: 12, edge: 12 } as const;
/** No text of the preview is drawn smaller than this (CSS px at the default zoom). */
export const MIN_TEXT_PX = 11;
/** The smallest zoom "fit" chooses: every text of the graph still MIN_TEXT_PX or more. */
export const MIN_ZOOM = MIN_TEXT_PX / Math.min(FONT.label, FONT.detail, FONT.edge);

const ROW_H = { label: 17, detail: 16, edge: 16 } as const;
const PAD_X = 10;
const PAD_Y = 6;
const TLS_W = 18;
const BADGE_W = 30;
const NODE_W = { min: 120, max: 300 };
const EDGE_LABEL_MAX = 220;
const OUTLINE = { indent: 22, margin: 12, gap: 8, minWidth: 160 };

export type TextWidth = (text: string, px: number, bold: boolean) => number;

/** Measures text in the graph's font (the editor's font family) with a canvas; a fixed estimate without one. */
export function textMeasurer(): TextWidth {
  const ctx = typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d') : null;
  const family =
    (typeof document !== 'undefined'
      ? getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-font-family').trim()
      : '') || 'monospace';
  const cache = new Map<string, number>();
  return (text, px, bold) => {
    const key = `${px}${bold ? 'b' : ''}${text}`;
    let w = cache.get(key);
    if (w === undefined) {
      if (ctx) {
        ctx.font = `${bold ? '600 ' : ''}${px}px ${family}`;
        w = ctx.measureText(text).width;
      } else w = text.length * px * 0.62;
      // a little room for hinting differences between canvas and SVG text
      w = Math.ceil(w * 1.04 + 1);
      cache.set(key, w);
    }
    return w;
  };
}

/** Characters after which a name may wrap: path, domain and label separators, spaces. */
const BREAK_AFTER = /[^/.\-_:,\s=?&@]+[/.\-_:,\s=?&@]*|[/.\-_:,\s=?&@]+/g;

/**
 * `text` as lines of at most `maxPx`, each a list of pieces (a hidden character's mark is one piece and is
 * never split). Lines break after a separator; a single word wider than a line is split as a last resort.
 */
export function wrapText(text: string, maxPx: number, width: (s: string) => number): TextPiece[][] {
  const tokens: TextPiece[] = [];
  for (const p of splitHiddenCharacters(text)) {
    if (p.hidden) tokens.push(p);
    else for (const m of p.text.match(BREAK_AFTER) ?? []) tokens.push({ text: m });
  }
  const lines: TextPiece[][] = [];
  let line: TextPiece[] = [];
  let lineText = '';
  const flush = () => {
    if (line.length) lines.push(line);
    line = [];
    lineText = '';
  };
  const push = (t: TextPiece) => {
    const last = line[line.length - 1];
    if (last && !last.hidden && !t.hidden) line[line.length - 1] = { text: last.text + t.text };
    else line.push(t);
    lineText += t.text;
  };
  for (const t of tokens) {
    if (width(lineText + t.text.trimEnd()) <= maxPx) {
      push(t);
      continue;
    }
    if (line.length) flush();
    if (t.hidden || width(t.text.trimEnd()) <= maxPx) {
      push(t);
      continue;
    }
    // one word wider than the line: split it by characters (never half of a surrogate pair)
    let chunk = '';
    for (const ch of Array.from(t.text)) {
      if (chunk && width(chunk + ch) > maxPx) {
        push({ text: chunk });
        flush();
        chunk = '';
      }
      chunk += ch;
    }
    if (chunk) push({ text: chunk });
  }
  flush();
  // spaces at the end of a wrapped line take no room
  for (const l of lines) {
    const last = l[l.length - 1];
    if (last && !last.hidden) l[l.length - 1] = { text: last.text.replace(/\s+$/, '') || last.text };
  }
  return lines.length ? lines : [[{ text: '' }]];
}

/** One of a node's texts (its label or a detail line), wrapped into rows. */
export interface NodeText {
  cls: 'label' | 'detail';
  /** The whole text (what the <text> element's textContent is). */
  text: string;
  rows: TextPiece[][];
}

export interface PlacedNode {
  node: GraphNode;
  /** Top-left corner and size, in graph coordinates. */
  x: number;
  y: number;
  w: number;
  h: number;
  texts: NodeText[];
  /** In the outline, a node reached a second time: a short reference to where it is drawn, without its children. */
  repeat: boolean;
}

export interface PlacedEdge {
  edge: GraphEdge;
  points: { x: number; y: number }[];
  /** Where the label's rows go: (x, y) of the first row's baseline, and how the rows are anchored. */
  label?: { x: number; y: number; w: number; anchor: 'start' | 'middle'; rows: TextPiece[][] };
}

export interface GraphLayout {
  mode: 'columns' | 'outline';
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export const ROW_HEIGHT = ROW_H;
export const NODE_PAD = { x: PAD_X, y: PAD_Y, tls: TLS_W, badge: BADGE_W };

function nodeLines(n: GraphNode): string[] {
  const head = n.tls?.state === 'warning' ? `⚠ ${n.label}` : n.label;
  return [head, ...n.details];
}

/** The label shown on an edge (a sign first when it carries problems). */
export function edgeLabelText(e: GraphEdge): string {
  return `${e.problems.length ? '⚠ ' : ''}${e.label ?? ''}`.trim();
}

/** A node's texts wrapped to fit `maxW` (the box's outer width), and the box's size. */
function sizeNode(
  n: GraphNode,
  maxW: number,
  minW: number,
  measure: TextWidth,
): { w: number; h: number; texts: NodeText[] } {
  const extraLabel = (n.tls ? TLS_W : 0) + (n.problems.length ? BADGE_W : 0);
  const texts: NodeText[] = nodeLines(n).map((line, i) => {
    const cls = i === 0 ? 'label' : 'detail';
    const px = i === 0 ? FONT.label : FONT.detail;
    const room = maxW - 2 * PAD_X - (i === 0 ? extraLabel : 0);
    const rows = wrapText(line, Math.max(40, room), (s) => measure(showHiddenCharacters(s), px, i === 0));
    return { cls, text: line, rows };
  });
  let w = minW;
  let h = 2 * PAD_Y;
  texts.forEach((t, i) => {
    const px = i === 0 ? FONT.label : FONT.detail;
    for (const r of t.rows) {
      const rw = measure(showHiddenCharacters(r.map((p) => p.text).join('')), px, i === 0);
      w = Math.max(w, rw + 2 * PAD_X + (i === 0 ? extraLabel : 0));
      h += ROW_H[t.cls];
    }
  });
  return { w: Math.min(Math.ceil(w), maxW), h, texts };
}

function edgeRows(e: GraphEdge, maxPx: number, measure: TextWidth): TextPiece[][] {
  const text = edgeLabelText(e);
  return text ? wrapText(text, maxPx, (s) => measure(showHiddenCharacters(s), FONT.edge, false)) : [];
}

function rowsWidth(rows: TextPiece[][], measure: TextWidth): number {
  return Math.max(
    0,
    ...rows.map((r) => measure(showHiddenCharacters(r.map((p) => p.text).join('')), FONT.edge, false)),
  );
}

/** Left to right with dagre; the edge labels get room of their own, so they do not overlap. */
export function columnsLayout(nodes: GraphNode[], edges: GraphEdge[], measure: TextWidth): GraphLayout {
  const sized = new Map(
    nodes.map((n) => [
      n.id,
      sizeNode(n, NODE_W.max + (n.tls ? TLS_W : 0) + (n.problems.length ? BADGE_W : 0), NODE_W.min, measure),
    ]),
  );
  const labels = new Map(edges.map((e) => [e.id, edgeRows(e, EDGE_LABEL_MAX, measure)]));
  const lay = new dagre.graphlib.Graph({ multigraph: false });
  lay.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 48, marginx: 12, marginy: 12, ranker: 'longest-path' });
  lay.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) lay.setNode(n.id, { width: sized.get(n.id)!.w, height: sized.get(n.id)!.h });
  for (const e of edges) {
    const rows = labels.get(e.id)!;
    lay.setEdge(e.from, e.to, {
      width: rows.length ? rowsWidth(rows, measure) + 8 : 0,
      height: rows.length * ROW_H.edge,
      labelpos: 'c',
    });
  }
  dagre.layout(lay);
  const g = lay.graph() as { width?: number; height?: number };
  const placed: PlacedNode[] = nodes.map((n) => {
    const s = sized.get(n.id)!;
    const pos = lay.node(n.id) as { x: number; y: number };
    return { node: n, x: pos.x - s.w / 2, y: pos.y - s.h / 2, w: s.w, h: s.h, texts: s.texts, repeat: false };
  });
  const placedEdges: PlacedEdge[] = [];
  for (const e of edges) {
    const le = lay.edge(e.from, e.to) as
      { points: { x: number; y: number }[]; x?: number; y?: number } | undefined;
    if (!le) continue;
    const rows = labels.get(e.id)!;
    const mid = le.points[Math.floor(le.points.length / 2)];
    const cy = le.y ?? mid.y;
    placedEdges.push({
      edge: e,
      points: le.points,
      ...(rows.length
        ? {
            label: {
              x: le.x ?? mid.x,
              y: cy - (rows.length * ROW_H.edge) / 2 + FONT.edge - 1,
              w: rowsWidth(rows, measure) + 6,
              anchor: 'middle' as const,
              rows,
            },
          }
        : {}),
    });
  }
  return { mode: 'columns', width: g.width ?? 0, height: g.height ?? 0, nodes: placed, edges: placedEdges };
}

/**
 * An indented tree `width` wide: each node under the node it is reached from, its incoming edge's label on
 * a row of its own above it, a connector from the parent's left side. A node reached a second time (a
 * Service behind two paths) gets a short reference there ("shown above"), without its children.
 */
export function outlineLayout(
  nodes: GraphNode[],
  edges: GraphEdge[],
  width: number,
  measure: TextWidth,
): GraphLayout {
  const { indent, margin, gap, minWidth } = OUTLINE;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out = new Map<string, GraphEdge[]>();
  const hasIn = new Set<string>();
  for (const e of edges) {
    if (!byId.has(e.from) || !byId.has(e.to)) continue;
    (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e);
    hasIn.add(e.to);
  }
  const placed: PlacedNode[] = [];
  const placedEdges: PlacedEdge[] = [];
  const seen = new Set<string>();
  let y = margin;
  const visit = (n: GraphNode, depth: number, via?: { edge: GraphEdge; parent: PlacedNode }) => {
    const x = margin + depth * indent;
    const w = Math.max(minWidth, width - x - margin);
    let label: PlacedEdge['label'];
    if (via) {
      const rows = edgeRows(via.edge, w - 8, measure);
      if (rows.length) {
        label = { x: x + 4, y: y + FONT.edge, w: rowsWidth(rows, measure) + 4, anchor: 'start', rows };
        y += rows.length * ROW_H.edge + 2;
      }
    }
    const repeat = seen.has(n.id);
    const s = sizeNode(
      repeat ? { ...n, details: ['shown above'], tls: undefined, problems: [] } : n,
      w,
      w,
      measure,
    );
    seen.add(n.id);
    const me: PlacedNode = { node: n, x, y, w: s.w, h: s.h, texts: s.texts, repeat };
    placed.push(me);
    if (via) {
      const px = via.parent.x + indent / 2;
      const midY = y + Math.min(s.h / 2, ROW_H.label);
      placedEdges.push({
        edge: via.edge,
        points: [
          { x: px, y: via.parent.y + via.parent.h },
          { x: px, y: midY },
          { x, y: midY },
        ],
        ...(label ? { label } : {}),
      });
    }
    y += s.h + gap;
    if (repeat) return;
    for (const e of out.get(n.id) ?? []) visit(byId.get(e.to)!, depth + 1, { edge: e, parent: me });
  };
  for (const n of nodes) if (!hasIn.has(n.id)) visit(n, 0);
  // whatever only a cycle reaches
  for (const n of nodes) if (!seen.has(n.id)) visit(n, 0);
  return { mode: 'outline', width, height: y - gap + margin, nodes: placed, edges: placedEdges };
}
