import { STANDARD_STATEMENT } from '../registry/certificate.service';
import type { PublicOperator } from '../registry/operator.model';
import type { HandoverDocument } from '../trace/lineage.model';
import type { Trace, TraceBatch, TraceCertificate } from '../trace/trace.model';
import { html, layout, type SafeHtml } from './html';
import { lineageFigure } from './lineage-figure';
import {
  BASIS, CATEGORY, DOCUMENT_TYPE, INSPECTION_KIND, LINK_KIND, OPERATOR_KIND, TEST_RESULT, formatDate, formatQuantity, gradeMeaning, label, type Lang,
} from './i18n';

const T = {
  zh: {
    title: '产品溯源',
    description: (product: string, lot: string) => `${product}（批次号 ${lot}）的来源、生产者信用、承诺达标合格证、检测记录和流转过程。`,
    product: '产品',
    lot: '批次号',
    category: '品类',
    quantity: '数量',
    produced: '生产/采收日期',
    gtin: '商品条码',
    origin: '产地',
    village: '村/地址',
    farm: '农场/基地',
    producer: '生产者',
    grade: '信用等级',
    regNo: '登记号',
    moreAboutProducer: '查看经营主体信用卡片',
    certificate: '承诺达标合格证',
    noCertificate: '此批次未登记合格证。',
    certNo: '证号',
    issued: '开具日期',
    covers: '覆盖数量',
    bases: '承诺依据',
    statement: '承诺内容',
    testRef: '检测报告编号',
    revoked: '此合格证已撤销',
    tests: '检测记录',
    noTests: '暂无检测记录。',
    journey: '流转过程',
    shipped: '发货',
    deliveryNote: '送货单',
    harvested: '生产/采收',
    enteredMarket: '进入市场',
    recalledTitle: '此批次已被召回，请勿食用。',
    recalledReason: '召回原因',
    recalledOn: '召回日期',
    nonConformant: '此批次检测不合格。',
    truncated: '流转链条较长，仅显示最近的环节。',
    footer: '本页面由县食品安全追溯平台提供，仅显示公开信息。',
    notFoundTitle: '未找到该追溯码',
    notFoundBody: '没有找到与此二维码对应的产品。请检查二维码是否完整，或向商户咨询。',
    at: '于',
  },
  en: {
    title: 'Product trace',
    description: (product: string, lot: string) => `${product}, lot ${lot}: where it came from, its producer's credit grade, certificate, tests and the chain of hands.`,
    product: 'Product',
    lot: 'Lot',
    category: 'Category',
    quantity: 'Quantity',
    produced: 'Produced / harvested',
    gtin: 'GTIN',
    origin: 'Origin',
    village: 'Village / place',
    farm: 'Farm',
    producer: 'Producer',
    grade: 'Credit grade',
    regNo: 'Registration no.',
    moreAboutProducer: "See the operator's credit card",
    certificate: 'Commitment-to-standard certificate',
    noCertificate: 'No certificate is registered for this lot.',
    certNo: 'Number',
    issued: 'Issued',
    covers: 'Covers',
    bases: 'Based on',
    statement: 'Commitment',
    testRef: 'Test report',
    revoked: 'This certificate has been revoked',
    tests: 'Tests',
    noTests: 'No tests recorded yet.',
    journey: 'Journey',
    shipped: 'shipped',
    deliveryNote: 'Delivery note',
    harvested: 'Produced / harvested',
    enteredMarket: 'Entered the market',
    recalledTitle: 'This lot has been recalled. Do not eat it.',
    recalledReason: 'Reason',
    recalledOn: 'Recalled on',
    nonConformant: 'This lot failed a test.',
    truncated: 'The chain is long; only the nearest steps are shown.',
    footer: 'Provided by the county food-safety traceability platform. Public information only.',
    notFoundTitle: 'Trace code not found',
    notFoundBody: 'No product matches this QR code. Check that the code is complete, or ask the seller.',
    at: 'at',
  },
} as const;

/** The standard bilingual statement is shown in the page language; a producer's own wording as written. */
function statementIn(statement: string, lang: Lang): string {
  if (statement !== STANDARD_STATEMENT) return statement;
  const [zh, en] = statement.split(' / ');
  return lang === 'zh' ? zh : en;
}

export function gradeBadge(grade: string, lang: Lang): SafeHtml {
  return html`<span class="grade grade-${/^[A-D]$/.test(grade) ? grade : 'X'}" title="${gradeMeaning(grade, lang)}">${grade}</span> <span class="sub">${gradeMeaning(grade, lang)}</span>`;
}

/** Origin of the lot and every producer behind it (several when lots were merged), each with its grade. */
function producerCards(p: PublicOperator, producers: PublicOperator[], origin: string | null, lang: Lang): SafeHtml {
  const t = T[lang];
  const all = producers.length ? producers : [p];
  return html`<section class="card" id="producer">
<h2>${t.origin}</h2>
<dl>
<dt>${t.village}</dt><dd>${origin ?? p.village ?? ''}</dd>
<dt>${t.farm}</dt><dd>${all.map((x) => x.name).join(lang === 'zh' ? '、' : '; ')}</dd>
</dl>
</section>
${all.map(
    (x) => html`<section class="card producer">
<h2>${t.producer}</h2>
<p><strong>${x.name}</strong> <span class="sub">${label(OPERATOR_KIND, x.kind, lang)}</span></p>
<p>${t.grade}: ${gradeBadge(x.grade, lang)}</p>
${x.registrationNumber ? html`<p class="sub">${t.regNo}: ${x.registrationNumber}</p>` : ''}
<p><a href="/o/${encodeURIComponent(x.publicCode)}${lang === 'en' ? '?lang=en' : ''}">${t.moreAboutProducer}</a></p>
</section>`,
  )}`;
}

function certificateCard(c: TraceCertificate, issuer: PublicOperator | undefined, lang: Lang, timeZone: string): SafeHtml {
  const t = T[lang];
  return html`<section class="card certificate">
<h2>${t.certificate}</h2>
${c.status === 'REVOKED' ? html`<p class="banner warn">${t.revoked}</p>` : ''}
<dl>
<dt>${t.certNo}</dt><dd>${c.number}</dd>
${issuer ? html`<dt>${t.producer}</dt><dd>${issuer.name}</dd>` : ''}
<dt>${t.issued}</dt><dd>${formatDate(c.issuedAt, lang, timeZone)}</dd>
<dt>${t.covers}</dt><dd>${formatQuantity(c.quantity, c.unit, lang)}</dd>
${c.testReference ? html`<dt>${t.testRef}</dt><dd>${c.testReference}</dd>` : ''}
</dl>
<p>${t.bases}:</p>
<ul class="chips bases">${c.bases.map((b) => html`<li>${label(BASIS, b, lang)}</li>`)}</ul>
<p class="sub">${t.statement}: ${statementIn(c.statement, lang)}</p>
</section>`;
}

interface JourneyStep {
  when: Date;
  title: string;
  node: TraceBatch;
  /** The hand-over that made this lot, when it named a document, a date or places: the step links its delivery note. */
  handover?: HandoverDocument | null;
}

/** Oldest first: each lot where it came from and when it reached its owner. */
function journeySteps(trace: Trace, lang: Lang): JourneyStep[] {
  const t = T[lang];
  const incoming = new Map<number, { kind: string; createdAt: Date; handover: HandoverDocument | null }>();
  for (const e of trace.edges) if (!incoming.has(e.childId)) incoming.set(e.childId, { kind: e.kind, createdAt: e.createdAt, handover: e.handover });
  const entryByReceived = new Map(trace.marketEntries.filter((m) => m.receivedBatchId !== null).map((m) => [m.receivedBatchId!, m]));
  const steps = trace.nodes.map((node): JourneyStep => {
    const link = incoming.get(node.id);
    const entry = entryByReceived.get(node.id);
    if (entry) return { when: entry.at, title: `${t.enteredMarket} · ${entry.marketName}`, node, handover: link?.handover };
    if (!link) return { when: node.producedAt, title: t.harvested, node };
    return { when: link.createdAt, title: label(LINK_KIND, link.kind, lang), node, handover: link.handover };
  });
  return steps.sort((a, b) => b.node.depth - a.node.depth || +a.when - +b.when || a.node.lotCode.localeCompare(b.node.lotCode));
}

/** The consumer page for one lot: everything a shopper may know, nothing private. */
/** The consumer page of a trace, dates in the county's time zone. */
export function renderTracePage(trace: Trace, lang: Lang, timeZone: string): string {
  const t = T[lang];
  const b = trace.batch;
  const issuerOf = new Map(trace.nodes.map((n) => [n.id, n.owner]));
  const recall = trace.recall;
  const body = html`<main>
${trace.recalled
    ? html`<div class="banner recalled" role="alert" id="recall-banner"><p>${t.recalledTitle}</p>${recall ? html`<p>${t.recalledReason}: ${recall.reason}</p><p>${t.recalledOn}: ${formatDate(recall.recalledAt, lang, timeZone)}</p>` : ''}</div>`
    : ''}
${b.nonConformant && !trace.recalled ? html`<div class="banner warn" role="alert">${t.nonConformant}</div>` : ''}
<header class="card" id="product">
<p class="sub">${t.product} · ${label(CATEGORY, b.category, lang)}</p>
<h1>${b.productName}</h1>
<dl>
<dt>${t.lot}</dt><dd>${b.lotCode}</dd>
<dt>${t.quantity}</dt><dd>${formatQuantity(b.quantity, b.unit, lang)}</dd>
<dt>${t.produced}</dt><dd>${formatDate(b.producedAt, lang, timeZone)}</dd>
${b.gtin ? html`<dt>${t.gtin}</dt><dd>${b.gtin}</dd>` : ''}
</dl>
</header>
${producerCards(trace.producer, trace.producers, trace.origin ?? trace.nodes.find((n) => n.owner.id === trace.producer.id)?.originPlace ?? null, lang)}
${trace.certificates.length
    ? trace.certificates.map((c) => certificateCard(c, issuerOf.get(c.batchId), lang, timeZone))
    : html`<section class="card certificate"><h2>${t.certificate}</h2><p>${t.noCertificate}</p></section>`}
<section class="card" id="tests">
<h2>${t.tests}</h2>
${trace.inspections.length
    ? html`<ul class="tests">${trace.inspections.map(
        (i) => html`<li><span class="${i.result === 'PASS' ? 'pass' : 'fail'}">${label(TEST_RESULT, i.result, lang)}</span> · ${label(INSPECTION_KIND, i.kind, lang)}${inspectionItems(i.items, lang)} <span class="sub">${formatDate(i.inspectedAt, lang, timeZone)}${i.marketName ? html` · ${i.marketName}` : ''}</span></li>`,
      )}</ul>`
    : html`<p>${t.noTests}</p>`}
</section>
${trace.nodes.length > 1 ? lineageFigure(trace, lang) : ''}
<section class="card" id="journey">
<h2>${t.journey}</h2>
<ol class="journey">${journeySteps(trace, lang).map(
    (s) => html`<li><span class="when">${formatDate(s.when, lang, timeZone)}</span><strong>${s.title}</strong> · ${s.node.owner.name} <span class="sub">(${label(OPERATOR_KIND, s.node.owner.kind, lang)})</span><br><span class="sub">${s.node.productName} · ${t.lot} ${s.node.lotCode} · ${formatQuantity(s.node.quantity, s.node.unit, lang)}</span>${s.handover ? handoverLine(s.handover, s.node.publicCode, lang, timeZone) : ''}</li>`,
  )}</ol>
${trace.truncated ? html`<p class="sub">${t.truncated}</p>` : ''}
</section>
</main>
<footer>${t.footer}</footer>`;
  return layout({ lang, title: `${b.productName} · ${t.title}`, description: t.description(b.productName, b.lotCode), body, bodyClass: 'trace', path: `/t/${encodeURIComponent(trace.code)}` });
}

/** A hand-over's document type, shipping date and places as the public sees them (never the number), and its note. */
function handoverLine(d: HandoverDocument, code: string, lang: Lang, timeZone: string): SafeHtml {
  const t = T[lang];
  const parts = [
    d.documentType ? label(DOCUMENT_TYPE, d.documentType, lang) : null,
    d.shippedAt ? `${t.shipped} ${formatDate(d.shippedAt, lang, timeZone)}` : null,
    d.shipFrom || d.shipTo ? `${d.shipFrom ?? '?'} → ${d.shipTo ?? '?'}` : null,
  ].filter(Boolean) as string[];
  return html`<br><span class="sub handover">${parts.join(' · ')} · <a href="/handover/${encodeURIComponent(code)}${lang === 'en' ? '?lang=en' : ''}">${t.deliveryNote}</a></span>`;
}

function inspectionItems(items: readonly { item?: unknown; name?: unknown }[], lang: Lang): SafeHtml {
  const names = items
    .map((it) => (typeof it.item === 'string' ? it.item : typeof it.name === 'string' ? it.name : null))
    .filter((n): n is string => !!n);
  if (!names.length) return html``;
  return html`: ${names.join(lang === 'zh' ? '、' : ', ')}`;
}

/** A friendly page for a code that matches no lot (sent with status 404). */
export function renderTraceNotFound(lang: Lang, path: string): string {
  const t = T[lang];
  const body = html`<main class="notfound"><p class="big" aria-hidden="true">🔍</p><h1>${t.notFoundTitle}</h1><p>${t.notFoundBody}</p></main><footer>${t.footer}</footer>`;
  return layout({ lang, title: t.notFoundTitle, body, bodyClass: 'notfound', path });
}
