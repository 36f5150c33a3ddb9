import { createHash } from 'node:crypto';

/**
 * The EPCIS event hash ID of CBV 2.0 (section 8.9): a pre-hash string of the event's fields in canonical order,
 * sha-256, as an RFC 6920 `ni:` URI. Two captures of the same event (whatever its JSON key order, its eventID or
 * recordTime, URN or Digital Link spelling) get the same hash, which is how a capture recognises a duplicate.
 *
 * The fields GS1's reference implementation orders (epcList … bizLocation, sensor data) come first in that order;
 * business transactions, sources, destinations, ILMD and user extensions follow as its generic tail, sorted.
 */

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const QTY = ['epcClass', 'quantity', 'uom'];
const ORDER: [string, 'value' | 'epcs' | 'qty' | 'id' | 'persist'][] = [
  ['eventTime', 'value'],
  ['eventTimeZoneOffset', 'value'],
  ['certificationInfo', 'value'],
  ['parentID', 'value'],
  ['epcList', 'epcs'],
  ['inputEPCList', 'epcs'],
  ['childEPCs', 'epcs'],
  ['quantityList', 'qty'],
  ['childQuantityList', 'qty'],
  ['inputQuantityList', 'qty'],
  ['outputEPCList', 'epcs'],
  ['outputQuantityList', 'qty'],
  ['action', 'value'],
  ['transformationID', 'value'],
  ['bizStep', 'value'],
  ['disposition', 'value'],
  ['persistentDisposition', 'persist'],
  ['readPoint', 'id'],
  ['bizLocation', 'id'],
];
/** Never part of the hash: they differ between two captures of one event. */
const IGNORED = new Set(['type', 'eventID', 'recordTime', 'errorDeclaration', '@context', 'rdfs:comment', 'comment']);

/** The CBV vocabularies a bare JSON value is a term of, by the field that carries it. */
const BARE: Record<string, string> = {
  bizStep: 'https://ref.gs1.org/cbv/BizStep-',
  disposition: 'https://ref.gs1.org/cbv/Disp-',
  set: 'https://ref.gs1.org/cbv/Disp-',
  unset: 'https://ref.gs1.org/cbv/Disp-',
  'bizTransaction.type': 'https://ref.gs1.org/cbv/BTT-',
  'source.type': 'https://ref.gs1.org/cbv/SDT-',
  'destination.type': 'https://ref.gs1.org/cbv/SDT-',
  reason: 'https://ref.gs1.org/cbv/ER-',
};

/** Prefixes the standard EPCIS 2.0 context defines, beside those a document declares. */
export const STANDARD_PREFIXES: Record<string, string> = {
  cbvmda: 'urn:epcglobal:cbv:mda:',
  gs1: 'https://gs1.org/voc/',
  cbv: 'https://ref.gs1.org/cbv/',
  epcis: 'https://ref.gs1.org/epcis/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};

/** The namespace prefixes of a document's `@context` (its inline objects), over the standard ones. */
export function prefixesOf(context: unknown): Record<string, string> {
  const out = { ...STANDARD_PREFIXES };
  for (const c of Array.isArray(context) ? context : [context]) {
    if (c && typeof c === 'object') for (const [k, v] of Object.entries(c)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** The event hash ID of one event of a document whose context declares `prefixes`. */
export function eventHash(event: Obj, prefixes: Record<string, string> = STANDARD_PREFIXES): string {
  return `ni:///sha-256;${createHash('sha256').update(preHash(event, prefixes), 'utf8').digest('hex')}?ver=CBV2.0`;
}

export function preHash(event: Obj, prefixes: Record<string, string> = STANDARD_PREFIXES): string {
  const p = new PreHash(prefixes);
  let out = `eventType=${String(event.type)}`;
  const done = new Set<string>(IGNORED);
  for (const [key, kind] of ORDER) {
    if (!(key in event)) continue;
    done.add(key);
    out += p.ordered(key, kind, event[key]);
  }
  if ('sensorElementList' in event) {
    done.add('sensorElementList');
    out += p.generic('sensorElementList', event.sensorElementList, 'sensorElementList');
  }
  const tail = Object.keys(event).filter((k) => !done.has(k)).map((k) => p.generic(p.key(k), event[k], k));
  return out + tail.filter(Boolean).sort(byCode).join('');
}

const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

class PreHash {
  constructor(private readonly prefixes: Record<string, string>) {}

  key(k: string): string {
    const i = k.indexOf(':');
    if (i > 0 && this.prefixes[k.slice(0, i)] !== undefined) return `{${this.prefixes[k.slice(0, i)]}}${k.slice(i + 1)}`;
    return k;
  }

  ordered(key: string, kind: string, v: Json): string {
    switch (kind) {
      case 'value': {
        const s = key === 'eventTime' ? timestamp(String(v)) : this.value(key, v);
        return s === '' ? '' : `${key}=${s}`;
      }
      case 'epcs': {
        const list = (v as Json[]).map((e) => `epc=${this.value('epc', e)}`).sort(byCode);
        return list.length ? key + list.join('') : '';
      }
      case 'qty': {
        const list = (v as Obj[])
          .map((q) => 'quantityElement' + QTY.filter((f) => q[f] !== undefined).map((f) => `${f}=${this.value(f, q[f])}`).join(''))
          .sort(byCode);
        return list.length ? key + list.join('') : '';
      }
      case 'id': {
        const o = v as Obj;
        const ext = Object.keys(o).filter((k) => k !== 'id').map((k) => this.generic(this.key(k), o[k], k)).sort(byCode).join('');
        return key + (o.id !== undefined ? `id=${this.value('id', o.id)}` : '') + ext;
      }
      case 'persist': {
        const o = v as Obj;
        const parts = ['set', 'unset'].flatMap((f) => ((o[f] as Json[] | undefined) ?? []).map((d) => `${f}=${this.value(f, d)}`).sort(byCode));
        return parts.length ? key + parts.join('') : '';
      }
    }
    return '';
  }

  /** A field outside the ordered part: its key, `=value`, and its children, sorted (a business transaction, source or destination puts its type first). */
  generic(key: string, v: Json, rawKey: string): string {
    if (v === null || v === undefined) return '';
    if (Array.isArray(v)) {
      // a list of bare values repeats the field's own key for each value; a list of objects is named once
      if (v.every((e) => e === null || typeof e !== 'object')) return v.map((e) => this.child(rawKey, e)).sort(byCode).join('');
      const body = v.map((e) => this.child(rawKey, e)).sort(byCode).join('');
      return body ? key + body : '';
    }
    if (typeof v === 'object') {
      const parts = Object.keys(v).filter((k) => !IGNORED.has(k) || k === 'type').map((k) => this.generic(this.key(k), v[k], k));
      return key + parts.filter(Boolean).sort(byCode).join('');
    }
    const s = /time$/i.test(rawKey) && !/offset/i.test(rawKey) ? timestamp(String(v)) : this.value(rawKey, v);
    return s === '' ? key : `${key}=${s}`;
  }

  /** One element of a list: a bare value under the list's own key, or an object's fields. */
  private child(listKey: string, e: Json): string {
    if (e !== null && typeof e === 'object' && !Array.isArray(e)) {
      const typed = ['bizTransaction', 'source', 'destination'].find((k) => k in e);
      if (typed) {
        const type = e.type !== undefined ? `type=${this.value(`${typed}.type`, e.type)}` : '';
        return type + `${typed}=${this.value(typed, e[typed])}`;
      }
      return Object.keys(e).map((k) => this.generic(this.key(k), e[k], k)).filter(Boolean).sort(byCode).join('');
    }
    return `${this.key(listKey)}=${this.value(listKey, e)}`;
  }

  value(field: string, v: Json): string {
    if (typeof v === 'number') return numeric(v);
    if (typeof v === 'boolean') return String(v);
    let s = String(v).trim();
    if (BARE[field] && /^[a-z_]+$/i.test(s)) return BARE[field] + s;
    s = webVocabulary(s);
    if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(s)) return numeric(Number(s));
    const i = s.indexOf(':');
    if (i > 0 && !s.includes('://') && !s.startsWith('urn:') && this.prefixes[s.slice(0, i)] !== undefined) s = this.prefixes[s.slice(0, i)] + s.slice(i + 1);
    return canonicalDigitalLink(s) ?? s;
  }
}

function numeric(n: number): string {
  return String(n);
}

function webVocabulary(s: string): string {
  return s
    .replace('urn:epcglobal:cbv:bizstep:', 'https://ref.gs1.org/cbv/BizStep-')
    .replace('urn:epcglobal:cbv:disp:', 'https://ref.gs1.org/cbv/Disp-')
    .replace('urn:epcglobal:cbv:btt:', 'https://ref.gs1.org/cbv/BTT-')
    .replace('urn:epcglobal:cbv:sdt:', 'https://ref.gs1.org/cbv/SDT-')
    .replace('urn:epcglobal:cbv:er:', 'https://ref.gs1.org/cbv/ER-');
}

/** UTC, millisecond precision (a 4th decimal of 5–9 rounds up), `Z`. */
export function timestamp(s: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(s.trim());
  if (!m) return s;
  const frac = m[2] ? Number(`0${m[2]}`) : 0;
  const whole = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(whole)) return s;
  return new Date(whole + Math.round(frac * 1000)).toISOString();
}

/** GS1 mod-10 check digit of a string of digits. */
export function checkDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[digits.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return String((10 - (sum % 10)) % 10);
}

const DL = 'https://id.gs1.org';

/**
 * The constrained canonical GS1 Digital Link of an EPC URI, EPC class or pattern URI, or of a Digital Link on any
 * domain (id.gs1.org, no query string, only the finest key and qualifier); null when `s` is none of those.
 */
export function canonicalDigitalLink(s: string): string | null {
  const urn = /^urn:epc:(id|class|idpat):([a-z0-9]+):(.+)$/.exec(s);
  if (urn) return fromEpcUri(urn[2], urn[3]);
  if (/^https?:\/\//.test(s)) return fromDigitalLink(s);
  return null;
}

function fromEpcUri(scheme: string, body: string): string | null {
  const parts = body.split('.');
  const gtin = (cp: string, ir: string) => {
    const d = ir.slice(0, 1) + cp + ir.slice(1);
    return d + checkDigit(d);
  };
  const glnOf = (cp: string, ref: string) => cp + ref + checkDigit(cp + ref);
  switch (scheme) {
    case 'sgtin':
      if (parts.length < 2) return null;
      return parts[2] === undefined || parts[2] === '*' ? `${DL}/01/${gtin(parts[0], parts[1])}` : `${DL}/01/${gtin(parts[0], parts[1])}/21/${parts.slice(2).join('.')}`;
    case 'lgtin':
      return parts.length >= 3 ? `${DL}/01/${gtin(parts[0], parts[1])}/10/${parts.slice(2).join('.')}` : null;
    case 'sscc': {
      if (parts.length !== 2) return null;
      const d = parts[1].slice(0, 1) + parts[0] + parts[1].slice(1);
      return `${DL}/00/${d}${checkDigit(d)}`;
    }
    case 'sgln': {
      if (parts.length < 2) return null;
      const ext = parts.slice(2).join('.');
      return `${DL}/414/${glnOf(parts[0], parts[1])}${ext && ext !== '0' && ext !== '*' ? `/254/${ext}` : ''}`;
    }
    case 'pgln':
      return parts.length === 2 ? `${DL}/417/${glnOf(parts[0], parts[1])}` : null;
    case 'grai':
      return parts.length >= 2 ? `${DL}/8003/0${glnOf(parts[0], parts[1])}${parts[2] ?? ''}` : null;
    case 'giai':
      return parts.length === 2 ? `${DL}/8004/${parts[0]}${parts[1]}` : null;
    default:
      return null;
  }
}

/** Primary keys and, for each, the qualifiers finest first. */
const KEYS: Record<string, string[]> = {
  '00': [], '01': ['21', '10', '235'], '253': [], '255': [], '401': [], '402': [], '414': ['254'], '417': [], '8003': [], '8004': [],
  '8006': ['21', '10'], '8010': ['8011'], '8017': [], '8018': [],
};

function fromDigitalLink(s: string): string | null {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return null;
  }
  const segs = url.pathname.split('/').filter(Boolean).map((x) => decodeURIComponent(x));
  for (let i = 0; i + 1 < segs.length; i++) {
    const quals = KEYS[segs[i]];
    if (!quals || !/^\d+$/.test(segs[i + 1]) && segs[i] !== '8003' && segs[i] !== '8004') continue;
    const key = segs[i] === '01' ? segs[i + 1].padStart(14, '0') : segs[i + 1];
    const rest = new Map<string, string>();
    for (let j = i + 2; j + 1 < segs.length; j += 2) rest.set(segs[j], segs[j + 1]);
    const q = quals.find((x) => rest.has(x));
    return `${DL}/${segs[i]}/${key}${q ? `/${q}/${encodeURIComponent(rest.get(q)!)}` : ''}`;
  }
  return null;
}
