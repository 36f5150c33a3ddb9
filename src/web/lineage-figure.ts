import type { Trace } from '../trace/trace.model';
import { html, type SafeHtml } from './html';
import { formatQuantity, type Lang } from './i18n';
import { BOX, lineageDiagram, type Diagram, type DiagramBounds } from './lineage-diagram';

/** What the consumer page draws: two lots of a merge and a "+N more" box, at most 60 boxes (a phone scrolls the rest). */
export const TRACE_DIAGRAM_BOUNDS: DiagramBounds = { maxFan: 3, maxBoxes: 60 };

const T = {
  zh: {
    heading: '来源图',
    thisLot: '本批次',
    more: (n: number) => `另有 ${n} 个批次`,
    summary: (lots: number, producers: number) => `本批次由 ${lots} 个批次、${producers} 个生产者流转而来。`,
    folded: (n: number) => `图中合并显示了 ${n} 个批次。`,
    textAlternative: '下方逐一列出每个流转环节。',
    desc: (product: string, lot: string) => `${product}（批次号 ${lot}）的来源图：本批次在最上方，向下是它的来源批次。`,
  },
  en: {
    heading: 'Where it came from',
    thisLot: 'This lot',
    more: (n: number) => `+${n} more lots`,
    summary: (lots: number, producers: number) => `This lot came through ${lots} lot${lots === 1 ? '' : 's'} from ${producers} producer${producers === 1 ? '' : 's'}.`,
    folded: (n: number) => `${n} lots are folded into boxes.`,
    textAlternative: 'Every step is listed below.',
    desc: (product: string, lot: string) => `Lineage of ${product} (lot ${lot}): this lot at the top, the lots it came from below it.`,
  },
};

/** The consumer page's lineage: the diagram of the trace's upstream graph, laid out once per chain (cached). */
export function traceDiagram(trace: Trace, lang: Lang): Diagram {
  const lots = trace.nodes.map((n) => ({ id: n.id, name: n.productName, holder: n.owner.name, lotCode: n.lotCode, quantity: formatQuantity(n.quantity, n.unit, lang) }));
  return lineageDiagram(lots, trace.edges, trace.batch.id, 'upstream', TRACE_DIAGRAM_BOUNDS);
}

const path = (points: { x: number; y: number }[]) => points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');

/**
 * The lineage figure of the consumer page: server-rendered SVG in a box the reader scrolls, the scanned lot marked,
 * with an accessible name, a description and the journey list as its text alternative.
 */
export function lineageFigure(trace: Trace, lang: Lang): SafeHtml {
  const t = T[lang];
  const d = traceDiagram(trace, lang);
  const recalled = new Set(trace.nodes.filter((n) => n.status === 'RECALLED').map((n) => n.id));
  const codeOf = new Map(trace.nodes.map((n) => [n.id, n.publicCode]));
  const producers = trace.producers.length || 1;
  return html`<section class="card" id="lineage" aria-labelledby="lineage-title">
<h2 id="lineage-title">${t.heading}</h2>
<div class="diagram" tabindex="0" role="group" aria-labelledby="lineage-title">
<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="lineage-svg-title" aria-describedby="lineage-svg-desc" width="${d.width}" height="${d.height}" viewBox="0 0 ${d.width} ${d.height}" data-boxes="${d.boxes.length}">
<title id="lineage-svg-title">${t.heading}</title>
<desc id="lineage-svg-desc">${t.desc(trace.batch.productName, trace.batch.lotCode)} ${t.summary(trace.nodes.length, producers)}</desc>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="arrow"/></marker></defs>
<g class="links">${d.edges.map((e) => html`<path d="${path(e.points)}" marker-end="url(#arrow)"/>`)}</g>
${d.boxes.map((b) => {
    if (b.kind === 'more') {
      return html`<g class="box more" data-code="more"><rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="6"/><text x="${b.x + b.width / 2}" y="${b.y + b.height / 2 + 5}" text-anchor="middle">${t.more(b.hidden)}</text></g>`;
    }
    const current = b.batchId === trace.batch.id;
    // the public page names a lot by its public code, never by its database id
    const cls = `box lot${current ? ' current' : ''}${recalled.has(b.batchId) ? ' recalled' : ''}`;
    return html`<g class="${cls}" data-code="${codeOf.get(b.batchId)}"${current ? html` aria-current="true"` : ''}><rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="6"/>${b.lines.map(
      (line, i) => html`<text x="${b.x + BOX.padX}" y="${b.y + 19 + i * BOX.lineHeight}"${i === 0 ? html` class="name"` : ''}>${line}</text>`,
    )}${current ? html`<text x="${b.x + b.width - BOX.padX}" y="${b.y - 4}" text-anchor="end" class="tag">${t.thisLot}</text>` : ''}</g>`;
  })}
</svg>
</div>
<p class="sub">${t.summary(trace.nodes.length, producers)}${d.hiddenLots ? ` ${t.folded(d.hiddenLots)}` : ''} <a href="#journey">${t.textAlternative}</a></p>
</section>`;
}
