import { isPublicCode } from '../public-code';
import { gtinValid, wellFormedText } from '../validation';

/** What a scanned text names: a batch's public code, a GS1 Digital Link (GTIN + lot), or a bare text (public code or certificate number). */
export type ScannedCode =
  | { kind: 'PUBLIC_CODE'; code: string }
  | { kind: 'DIGITAL_LINK'; gtin: string; lot: string }
  | { kind: 'TEXT'; text: string }
  | { kind: 'UNRECOGNISED' };

/**
 * Reads what a gate scanned. URLs of any host are read by their path, since a code printed by
 * another deployment still names the same lot: `/t/CODE` or `/01/GTIN[/…]/10/LOT[/…]`.
 */
export function parseScannedCode(raw: string): ScannedCode {
  const text = raw.trim();
  if (!/^https?:\/\//i.test(text)) return text ? { kind: 'TEXT', text } : { kind: 'UNRECOGNISED' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { kind: 'UNRECOGNISED' };
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const t = segments.lastIndexOf('t');
  if (t >= 0 && t === segments.length - 2 && isPublicCode(segments[t + 1])) return { kind: 'PUBLIC_CODE', code: segments[t + 1] };
  const ai = segments.indexOf('01');
  if (ai >= 0) {
    const gtin = segments[ai + 1] ?? '';
    const lotAt = segments.indexOf('10', ai + 2);
    if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(gtin) || !gtinValid(gtin) || lotAt < 0 || lotAt !== ai + 2 || !segments[lotAt + 1]) {
      return { kind: 'UNRECOGNISED' };
    }
    let lot: string;
    try {
      // decoded first, then held to the text rule: `%00` or an encoded lone surrogate names no lot
      lot = wellFormedText('code', decodeURIComponent(segments[lotAt + 1]));
    } catch {
      return { kind: 'UNRECOGNISED' };
    }
    return { kind: 'DIGITAL_LINK', gtin: gtin.padStart(14, '0'), lot };
  }
  return { kind: 'UNRECOGNISED' };
}
