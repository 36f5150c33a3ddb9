import type { DeliveryNote } from '../trace/lineage.model';
import { html, layout, raw } from './html';
import { DOCUMENT_TYPE, formatDate, formatQuantity, label, type Lang } from './i18n';

const T = {
  zh: {
    title: '送货单',
    product: '产品',
    quantity: '数量',
    from: '发货方',
    to: '收货方',
    sentLot: '发货批次号',
    receivedLot: '收货批次号',
    document: '单据',
    number: '单据编号',
    numberHidden: '（仅交接双方及监管部门可见）',
    shipped: '发货日期',
    recorded: '登记日期',
    shipFrom: '发货地点',
    shipTo: '收货地点',
    scan: '扫码查看溯源信息',
    print: '用浏览器的“打印”即可按标签尺寸打印本单。',
    notFoundTitle: '未找到该送货单',
    notFoundBody: '这个追溯码对应的批次不是由交接而来，或追溯码有误。',
    signInTitle: '登录凭证无效',
    signInBody: '所带的登录凭证无效或已过期。不带凭证可查看公开内容。',
  },
  en: {
    title: 'Delivery note',
    product: 'Product',
    quantity: 'Quantity',
    from: 'From',
    to: 'To',
    sentLot: "Sender's lot",
    receivedLot: "Receiver's lot",
    document: 'Document',
    number: 'Document no.',
    numberHidden: '(shown to the two parties and regulators only)',
    shipped: 'Shipped',
    recorded: 'Recorded',
    shipFrom: 'Shipped from',
    shipTo: 'Shipped to',
    scan: 'Scan for the trace',
    print: "Print with the browser's Print command: the page prints at label size.",
    notFoundTitle: 'Delivery note not found',
    notFoundBody: 'The lot with this code was not handed over, or the code is wrong.',
    signInTitle: 'Sign-in token not accepted',
    signInBody: 'The token sent is unknown, revoked or expired. Without a token the page shows what is public.',
  },
} as const;

/** A printable delivery note of one hand-over, label-sized (label.css), with the QR of the receiver's lot's trace. */
export function renderDeliveryNotePage(n: DeliveryNote, qrSvg: string, traceUrl: string, lang: Lang, timeZone: string, path: string): string {
  const t = T[lang];
  const d = n.handover;
  const body = html`<main>
<article class="label" id="delivery-note">
<h1>${t.title}</h1>
<dl>
<dt>${t.product}</dt><dd id="note-product">${n.productName}</dd>
<dt>${t.quantity}</dt><dd id="note-quantity">${formatQuantity(n.quantity, n.unit, lang)}</dd>
<dt>${t.from}</dt><dd id="note-from">${n.senderName}</dd>
<dt>${t.to}</dt><dd id="note-to">${n.receiverName}</dd>
<dt>${t.sentLot}</dt><dd>${n.sentLotCode}</dd>
<dt>${t.receivedLot}</dt><dd>${n.receivedLotCode}</dd>
${d?.documentType ? html`<dt>${t.document}</dt><dd id="note-document">${label(DOCUMENT_TYPE, d.documentType, lang)}</dd>
<dt>${t.number}</dt><dd id="note-number">${d.documentNumber ?? t.numberHidden}</dd>` : ''}
<dt>${d?.shippedAt ? t.shipped : t.recorded}</dt><dd id="note-date">${formatDate(d?.shippedAt ?? n.recordedAt, lang, timeZone)}</dd>
${d?.shipFrom ? html`<dt>${t.shipFrom}</dt><dd id="note-ship-from">${d.shipFrom}</dd>` : ''}
${d?.shipTo ? html`<dt>${t.shipTo}</dt><dd id="note-ship-to">${d.shipTo}</dd>` : ''}
</dl>
<div class="foot"><small>${t.scan}<br><a href="${traceUrl}">${traceUrl}</a></small><div class="qr" id="note-qr">${raw(qrSvg)}</div></div>
</article>
<p class="label-actions">${t.print}</p>
</main>`;
  return layout({ lang, title: t.title, body, bodyClass: 'delivery-note', path, stylesheets: ['/static/label.css'] });
}

export function renderDeliveryNoteNotFound(lang: Lang, path: string): string {
  const t = T[lang];
  return layout({ lang, title: t.notFoundTitle, body: html`<main class="notfound"><h1>${t.notFoundTitle}</h1><p>${t.notFoundBody}</p></main>`, path });
}

export function renderDeliveryNoteSignIn(lang: Lang, path: string): string {
  const t = T[lang];
  return layout({ lang, title: t.signInTitle, body: html`<main class="notfound"><h1>${t.signInTitle}</h1><p>${t.signInBody}</p></main>`, path });
}
