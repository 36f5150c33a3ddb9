import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { localDate } from '../local-time';
import type { ScorecardModel } from './assessment.model';
import { INDICATORS_SOURCE } from './indicators';
import { percent, REPORT_TEXT, shortcomingsOf, type ReportLang } from './report-text';

/** CJK fonts looked for, in order (Debian's fonts-wqy-microhei first; CI installs it), each with its face in the collection. */
export const CJK_FONTS: readonly { path: string; face: string }[] = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', face: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
];

/** The first CJK font on this machine; null when there is none (the PDF is then in English only, with Helvetica). */
export function cjkFont(candidates: readonly { path: string; face: string }[] = CJK_FONTS): { path: string; face: string } | null {
  return candidates.find((f) => existsSync(f.path)) ?? null;
}

/**
 * The year's self-assessment as an A4 PDF (pdfkit): the town's total, every indicator with its counts, value,
 * target and score, the shortcomings, and each village's total. Chinese needs a CJK font: without one the PDF is
 * written in English whatever `lang` asked, and says so.
 */
export function assessmentPdf(
  report: { town: ScorecardModel; villages: ScorecardModel[] }, askedLang: ReportLang, timeZone: string, font = cjkFont(),
): Promise<Buffer> {
  const lang: ReportLang = font ? askedLang : 'en';
  const t = REPORT_TEXT[lang];
  const { town } = report;
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: t.title(town.year), Producer: 'foodtrace', CreationDate: new Date(0) } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (font) doc.registerFont('body', font.path, font.face);
  doc.font(font ? 'body' : 'Helvetica');

  doc.fontSize(18).text(t.title(town.year));
  doc.moveDown(0.3).fontSize(10).fillColor('#444').text(`${t.asOf} ${localDate(town.asOf, timeZone)} · ${t.total}: ${town.total ?? t.notApplicable} / 100`);
  doc.fillColor('#000').moveDown();

  for (const s of town.indicators) {
    doc.fontSize(12).text(`${s.code}  ${lang === 'zh' ? s.zh : s.en}`);
    doc.fontSize(9).fillColor('#444').text(lang === 'zh' ? s.formulaZh : s.formulaEn);
    doc.fillColor(s.met === false ? '#a00' : '#000').fontSize(10).text(
      `${t.counts} ${s.numerator}/${s.denominator} · ${t.value} ${percent(s.value)} · ${t.target} ${percent(s.target)} · ${t.score} ${s.score ?? t.notApplicable} / ${s.weight}` +
      (s.met === null ? '' : ` · ${t.met}: ${s.met ? t.yes : t.no}`),
    );
    doc.fillColor('#000').moveDown(0.6);
  }

  doc.moveDown().fontSize(14).text(t.shortcomings);
  const short = shortcomingsOf(town);
  doc.fontSize(10);
  if (!short.length) doc.text(t.none);
  for (const s of short) doc.text(`• ${t.shortfall(s)}`);

  if (report.villages.length) {
    doc.moveDown().fontSize(14).text(t.villages);
    doc.fontSize(10);
    for (const v of report.villages) doc.text(`${v.village}: ${v.total ?? t.notApplicable}`);
  }
  doc.moveDown().fontSize(8).fillColor('#666').text(`${t.source}: ${INDICATORS_SOURCE}`);
  if (!font) doc.text(REPORT_TEXT.en.noFont);
  doc.end();
  return done;
}
