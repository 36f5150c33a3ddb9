import type { PrintableCertificate } from '../registry/certificate.model';
import { CERTIFICATE_RULE_SOURCE } from '../registry/certificate.rules';
import { html, layout, raw } from './html';
import { BASIS, CATEGORY, formatDate, formatQuantity, label, type Lang } from './i18n';

const T = {
  zh: {
    title: '承诺达标合格证',
    number: '编号',
    product: '产品名称',
    category: '品类',
    quantity: '数量（重量）',
    producer: '生产者',
    contact: '联系方式',
    origin: '产地',
    issued: '开具日期',
    lot: '批次号',
    bases: '承诺依据',
    testRef: '检测报告编号',
    scan: '扫码查看溯源信息',
    revoked: '此合格证已撤销，不再有效',
    print: '用浏览器的“打印”即可按标签尺寸打印本证。',
    source: '依据',
    notFoundTitle: '未找到该合格证',
    notFoundBody: '没有找到这个编号的承诺达标合格证。请核对编号。',
  },
  en: {
    title: 'Commitment-to-standard certificate',
    number: 'No.',
    product: 'Product',
    category: 'Category',
    quantity: 'Quantity (weight)',
    producer: 'Producer',
    contact: 'Contact',
    origin: 'Origin',
    issued: 'Issued',
    lot: 'Lot',
    bases: 'Based on',
    testRef: 'Test report',
    scan: 'Scan for the trace',
    revoked: 'This certificate has been revoked and is no longer valid',
    print: "Print with the browser's Print command: the page prints at label size.",
    source: 'Rule',
    notFoundTitle: 'Certificate not found',
    notFoundBody: 'No commitment-to-standard certificate has this number. Please check the number.',
  },
} as const;

/**
 * The certificate as the producer prints it on the goods, label-sized (label.css): product, quantity, producer and
 * contact, origin, date, the commitment and its bases, and the QR of the lot's trace page. `qrSvg` is markup the
 * server rendered from the trace URL, never data.
 */
export function renderCertificatePage(c: PrintableCertificate, qrSvg: string, traceUrl: string, lang: Lang, timeZone: string, path: string): string {
  const t = T[lang];
  const revoked = c.status === 'REVOKED';
  const contact = [c.producerContactPerson, c.producerContactPhone].filter(Boolean).join(' ');
  const body = html`<main>
<article class="label" id="certificate">
<h1>${T.zh.title}</h1>
<p class="no">${t.number} <span id="cert-number">${c.number}</span></p>
${revoked ? html`<p class="stamp" id="cert-revoked">${t.revoked}</p>` : ''}
<dl>
<dt>${t.product}</dt><dd id="cert-product">${c.productName}</dd>
<dt>${t.category}</dt><dd>${label(CATEGORY, c.category, lang)}</dd>
<dt>${t.quantity}</dt><dd id="cert-quantity">${formatQuantity(c.quantity, c.unit, lang)}</dd>
<dt>${t.producer}</dt><dd id="cert-producer">${c.producerName}</dd>
${revoked ? '' : html`<dt>${t.contact}</dt><dd id="cert-contact">${contact}</dd>`}
<dt>${t.origin}</dt><dd id="cert-origin">${c.origin ?? ''}</dd>
<dt>${t.issued}</dt><dd id="cert-issued">${formatDate(c.issuedAt, lang, timeZone)}</dd>
<dt>${t.lot}</dt><dd>${c.lotCode}</dd>
<dt>${t.bases}</dt><dd id="cert-bases">${c.bases.map((b) => label(BASIS, b, lang)).join(lang === 'zh' ? '、' : ', ')}</dd>
${c.testReference ? html`<dt>${t.testRef}</dt><dd>${c.testReference}</dd>` : ''}
</dl>
<p class="statement" id="cert-statement">${c.statement}</p>
<div class="foot"><small>${t.scan}<br><a href="${traceUrl}">${traceUrl}</a></small><div class="qr" id="cert-qr">${raw(qrSvg)}</div></div>
</article>
<p class="label-actions">${t.print}</p>
</main>
<footer>${t.source}: ${CERTIFICATE_RULE_SOURCE}</footer>`;
  return layout({ lang, title: `${t.title} ${c.number}`, body, bodyClass: 'certificate', path, stylesheets: ['/static/label.css'] });
}

export function renderCertificateNotFound(lang: Lang, path: string): string {
  const t = T[lang];
  return layout({ lang, title: t.notFoundTitle, body: html`<main class="notfound"><h1>${t.notFoundTitle}</h1><p>${t.notFoundBody}</p></main>`, path });
}
