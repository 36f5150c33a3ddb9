import { createHash } from 'node:crypto';
import { graphlib, layout as dagreLayout } from '@dagrejs/dagre';

/** A lot as a diagram shows it: three lines, its name, its holder, its lot code and quantity. */
export interface DiagramLot {
  id: number;
  name: string;
  holder: string;
  lotCode: string;
  quantity: string;
}

/** A link parent → child between two lots of the graph. */
export interface DiagramLink {
  parentId: number;
  childId: number;
}

/** Which way a diagram walks from its lot: to what it came from, or to what was made from it. */
export type DiagramDirection = 'upstream' | 'downstream';

export interface DiagramBounds {
  /** Neighbours shown of one lot before the rest fold into one "+N more" box (the box counts as one of them). */
  maxFan: number;
  /** Boxes in the whole diagram; what does not fit folds into the "+N more" box of the lot it hangs from. */
  maxBoxes: number;
}

/** A box of the diagram: a lot, or the neighbours of `foldedFrom` that did not fit. */
export interface DiagramBox {
  key: string;
  kind: 'lot' | 'more';
  /** The lot's id; for a "more" box, the lot whose neighbours it holds. */
  batchId: number;
  lines: string[];
  /** Lots folded into a "more" box (0 for a lot). */
  hidden: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DiagramEdge {
  from: string;
  to: string;
  /** The path from the parent's box to the child's, as dagre routed it. */
  points: { x: number; y: number }[];
}

/** A laid-out diagram; coordinates in pixels, origin top left. */
export interface Diagram {
  width: number;
  height: number;
  boxes: DiagramBox[];
  edges: DiagramEdge[];
  /** Lots of the graph that no box shows (folded into "more" boxes or beyond the bounds). */
  hiddenLots: number;
}

/** Box size: three lines of 13 px text stay legible on a phone without zooming. */
export const BOX = { width: 184, height: 64, lineHeight: 17, fontSize: 13, padX: 8 } as const;
const MORE_BOX = { width: 132, height: 40 } as const;

/** Rough width of text in the box's font: CJK glyphs a full em, Latin a little over half. */
export function textWidth(text: string, fontSize: number = BOX.fontSize): number {
  let em = 0;
  for (const ch of text) em += /[\u1100-\uffff]/.test(ch) ? 1 : 0.6;
  return em * fontSize;
}

/** The text cut to fit `width` pixels, ending in an ellipsis when cut. */
export function fitText(text: string, width: number = BOX.width - 2 * BOX.padX, fontSize: number = BOX.fontSize): string {
  if (textWidth(text, fontSize) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (textWidth(`${out}${ch}…`, fontSize) > width) break;
    out += ch;
  }
  return `${out}…`;
}

/** The text cut in the middle to fit `width` pixels, keeping both ends: a derived lot code differs at its end. */
export function fitMiddle(text: string, width: number = BOX.width - 2 * BOX.padX, fontSize: number = BOX.fontSize): string {
  if (textWidth(text, fontSize) <= width) return text;
  const chars = [...text];
  let head = Math.ceil(chars.length / 2);
  let tail = chars.length - head;
  while (head + tail > 0 && textWidth(`${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`, fontSize) > width) {
    if (head > tail) head--;
    else tail--;
  }
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

interface Folded {
  lots: DiagramLot[];
  more: { key: string; batchId: number; hidden: number }[];
  /** parent key → child key, lots as `b<id>`. */
  links: { from: string; to: string }[];
  hiddenLots: number;
}

const lotKey = (id: number) => `b${id}`;
const moreKey = (id: number) => `m${id}`;

/**
 * The part of the graph a diagram shows: a breadth-first walk from `rootId` in `direction`, each lot's neighbours in
 * id order, at most `maxFan` boxes per lot (the last one "+N more" when some do not fit, unless the lot is in
 * `expand`) and at most `maxBoxes` in all. A lot reached by two paths is one box; a link between shown lots is drawn.
 */
export function foldGraph(
  lots: DiagramLot[], links: DiagramLink[], rootId: number, direction: DiagramDirection, bounds: DiagramBounds, expand: ReadonlySet<number> = new Set(),
): Folded {
  const byId = new Map(lots.map((l) => [l.id, l]));
  const next = new Map<number, number[]>();
  for (const l of links) {
    const [from, to] = direction === 'upstream' ? [l.childId, l.parentId] : [l.parentId, l.childId];
    if (!byId.has(from) || !byId.has(to)) continue;
    if (!next.has(from)) next.set(from, []);
    next.get(from)!.push(to);
  }
  const shown = new Set<number>([rootId]);
  const more: Folded['more'] = [];
  const queue = [rootId];
  let boxes = 1;
  while (queue.length) {
    const id = queue.shift()!;
    const neighbours = [...new Set(next.get(id) ?? [])].sort((a, b) => a - b);
    const fresh = neighbours.filter((n) => !shown.has(n));
    const room = Math.max(0, bounds.maxBoxes - boxes);
    const fanRoom = expand.has(id) ? fresh.length : bounds.maxFan;
    let take = Math.min(fresh.length, fanRoom, room);
    // one of the boxes becomes the "+N more" box when not all fit
    if (take < fresh.length) take = Math.max(0, Math.min(take, room) - 1);
    for (const n of fresh.slice(0, take)) {
      shown.add(n);
      queue.push(n);
      boxes++;
    }
    if (take < fresh.length) {
      more.push({ key: moreKey(id), batchId: id, hidden: fresh.length - take });
      boxes++;
    }
  }
  const folded: Folded['links'] = [];
  for (const l of links) {
    if (shown.has(l.parentId) && shown.has(l.childId)) folded.push({ from: lotKey(l.parentId), to: lotKey(l.childId) });
  }
  for (const m of more) folded.push(direction === 'upstream' ? { from: m.key, to: lotKey(m.batchId) } : { from: lotKey(m.batchId), to: m.key });
  return { lots: lots.filter((l) => shown.has(l.id)), more, links: dedupe(folded), hiddenLots: lots.length - shown.size };
}

function dedupe(links: { from: string; to: string }[]): { from: string; to: string }[] {
  const seen = new Set<string>();
  return links.filter((l) => !seen.has(`${l.from}>${l.to}`) && !!seen.add(`${l.from}>${l.to}`));
}

/** Layouts by the shape they place (boxes have fixed sizes, so the text does not move them): the same chain asked for again, in either language, costs a map lookup, not a layout. */
const cache = new Map<string, Layout>();
const CACHE_SIZE = 256;

/** How many layouts were computed (not served from the cache) since start; a test reads it. */
export const layoutCount = { value: 0 };

interface Layout {
  width: number;
  height: number;
  places: Map<string, { x: number; y: number; width: number; height: number }>;
  edges: DiagramEdge[];
}

/**
 * The diagram of the graph around `rootId`: folded by `bounds` (see foldGraph), laid out by dagre with parents above
 * children, or, upstream, the lot on top and what it came from below it. Layouts are cached by the folded shape.
 */
export function lineageDiagram(
  lots: DiagramLot[], links: DiagramLink[], rootId: number, direction: DiagramDirection, bounds: DiagramBounds, expand: ReadonlySet<number> = new Set(),
): Diagram {
  const folded = foldGraph(lots, links, rootId, direction, bounds, expand);
  const key = createHash('sha256').update(JSON.stringify([direction, folded.lots.map((l) => l.id), folded.more, folded.links])).digest('base64url');
  let layout = cache.get(key);
  if (layout) {
    // most recently used last, so the oldest is dropped first
    cache.delete(key);
  } else {
    layout = layOut(folded, direction);
    layoutCount.value++;
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, layout);
  const boxes: DiagramBox[] = [
    ...folded.lots.map((l) => ({
      key: lotKey(l.id), kind: 'lot' as const, batchId: l.id, hidden: 0, ...layout.places.get(lotKey(l.id))!,
      lines: boxLines(l),
    })),
    ...folded.more.map((m) => ({ key: m.key, kind: 'more' as const, batchId: m.batchId, lines: [], hidden: m.hidden, ...layout.places.get(m.key)! })),
  ];
  return { width: layout.width, height: layout.height, boxes, edges: layout.edges, hiddenLots: folded.hiddenLots };
}

/** The name in bold and the holder, cut at their ends; the lot code cut in the middle so the quantity after it fits. */
function boxLines(l: DiagramLot): string[] {
  const quantity = ` · ${l.quantity}`;
  return [fitText(l.name, undefined, BOX.fontSize + 1), fitText(l.holder), `${fitMiddle(l.lotCode, BOX.width - 2 * BOX.padX - textWidth(quantity))}${quantity}`];
}

function layOut(folded: Folded, direction: DiagramDirection): Layout {
  const g = new graphlib.Graph();
  // upstream: the lot on top, where it came from below (edges still point parent → child); either way the lot is
  // aligned to the left, so a phone's first screen shows it before the reader scrolls sideways
  g.setGraph({ rankdir: direction === 'upstream' ? 'BT' : 'TB', align: direction === 'upstream' ? 'DL' : 'UL', nodesep: 16, ranksep: 36, marginx: 8, marginy: 24 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const l of folded.lots) g.setNode(lotKey(l.id), { width: BOX.width, height: BOX.height });
  for (const m of folded.more) g.setNode(m.key, { width: MORE_BOX.width, height: MORE_BOX.height });
  for (const l of folded.links) g.setEdge(l.from, l.to);
  dagreLayout(g);
  const places = new Map<string, { x: number; y: number; width: number; height: number }>();
  for (const key of g.nodes()) {
    const n = g.node(key) as unknown as { x: number; y: number; width: number; height: number };
    places.set(key, { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height });
  }
  const edges = folded.links.map((l) => ({ from: l.from, to: l.to, points: (g.edge(l.from, l.to) as unknown as { points: { x: number; y: number }[] }).points }));
  const graph = g.graph() as { width?: number; height?: number };
  return { width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0), places, edges };
}

/** Two boxes overlap when their rectangles share more than an edge; a test holds every diagram to none. */
export function overlapping(boxes: readonly Pick<DiagramBox, 'key' | 'x' | 'y' | 'width' | 'height'>[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) out.push([a.key, b.key]);
    }
  }
  return out;
}
