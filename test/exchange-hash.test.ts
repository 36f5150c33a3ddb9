import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalDigitalLink, checkDigit, eventHash, preHash, prefixesOf, timestamp } from '../src/exchange/event-hash';

/**
 * Test vectors of the CBV 2.0 event hash ID: the example documents, pre-hash strings and hashes of GS1's reference
 * implementation (github.com/RalphTro/epcis-event-hash-generator, tests/examples), kept as fixtures.
 */
const DIR = join(__dirname, 'fixtures', 'epcis-hash');

/**
 * The vectors this implementation does not reproduce, and why: sensor data (sensorElement wrappers and the sensor
 * report's own field order), EPC schemes without a Digital Link conversion here (GDTI, CPI, GINC, GSIN, GSRN,
 * ITIP, UPUI, SGCN), and a repository's own "ignore fields" extension.
 */
const KNOWN_GAPS = new Set([
  'CertificationInfoAndSensorReportWithCRS.jsonld#0', 'ReferenceEventHashAlgorithm2.jsonld#0', 'ReferenceEventHashAlgorithm3.jsonld#0',
  'TimeStampRoundOff.jsonld#2', 'epcisDocHavingEventWithIgnoreFields.jsonld#0', 'epcisDocWithAllGS1Keys.jsonld#0',
  'epcisDocWithSensorComponent.jsonld#0', 'epcisDocWithSensorDataObjectEvent.jsonld#0', 'epcisDocWithVariousEventTypes.jsonld#10',
  'epcisDocWithVariousEventTypes.jsonld#12', 'epcisQueryDocHavingEventWithIgnoreFields.jsonld#0', 'epclist_normalisation.jsonld#0',
]);

interface Vector {
  name: string;
  event: Record<string, never>;
  prefixes: Record<string, string>;
  hash: string;
  preHash: string | null;
}

function vectors(): Vector[] {
  const out: Vector[] = [];
  for (const file of readdirSync(DIR).filter((x) => x.endsWith('.jsonld')).sort()) {
    const doc = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
    const hashes = readFileSync(join(DIR, file.replace(/\.jsonld$/, '.hashes')), 'utf8').trim().split('\n');
    let pre: string[] = [];
    try {
      pre = readFileSync(join(DIR, file.replace(/\.jsonld$/, '.prehashes')), 'utf8').trim().split('\n');
    } catch {
      // some vectors come with their hashes only
    }
    const events = doc.epcisBody.eventList ?? doc.epcisBody.queryResults?.resultsBody?.eventList ?? [doc.epcisBody.event];
    events.forEach((event: Record<string, never>, i: number) => out.push({ name: `${file}#${i}`, event, prefixes: prefixesOf(doc['@context']), hash: hashes[i], preHash: pre[i] ?? null }));
  }
  return out;
}

const all = vectors();

describe('the EPCIS event hash ID', () => {
  it('has 43 reference vectors, 31 of which this implementation reproduces', () => {
    expect(all).toHaveLength(43);
    expect(all.filter((v) => !KNOWN_GAPS.has(v.name))).toHaveLength(31);
  });

  it.each(all.filter((v) => !KNOWN_GAPS.has(v.name)).map((v) => [v.name, v] as const))('reproduces %s', (_name, v) => {
    // a few .prehashes files of the reference lag behind their .hashes: a pre-hash string is compared where it hashes to the vector
    if (v.preHash && `ni:///sha-256;${createHash('sha256').update(v.preHash).digest('hex')}?ver=CBV2.0` === v.hash) expect(preHash(v.event, v.prefixes)).toBe(v.preHash);
    expect(eventHash(v.event, v.prefixes)).toBe(v.hash);
  });

  it.each([...KNOWN_GAPS].map((n) => [n]))('still differs on %s (a known gap; remove it from the list once it passes)', (name) => {
    const v = all.find((x) => x.name === name)!;
    expect(eventHash(v.event, v.prefixes)).not.toBe(v.hash);
  });

  it('normalises EPC URIs and Digital Links to the constrained canonical form', () => {
    expect(canonicalDigitalLink('urn:epc:id:sgtin:0614141.107346.2017')).toBe('https://id.gs1.org/01/10614141073464/21/2017');
    expect(canonicalDigitalLink('urn:epc:id:sscc:4012345.0000000333')).toBe('https://id.gs1.org/00/040123450000003338');
    expect(canonicalDigitalLink('urn:epc:id:sgln:4012345.00022.0')).toBe('https://id.gs1.org/414/4012345000221');
    expect(canonicalDigitalLink('urn:epc:class:lgtin:4012345.012345.998877')).toBe('https://id.gs1.org/01/04012345123456/10/998877');
    expect(canonicalDigitalLink('urn:epc:idpat:sgtin:4012345.012345.*')).toBe('https://id.gs1.org/01/04012345123456');
    expect(canonicalDigitalLink('https://brand.example.com/01/4012345123456/10/L1/21/S9?linkType=all')).toBe('https://id.gs1.org/01/04012345123456/21/S9');
    expect(canonicalDigitalLink('http://foodtrace.test/t/abc')).toBeNull();
    expect(checkDigit('401234512345')).toBe('6');
    expect(timestamp('2023-01-18T11:04:03.1415+01:00')).toBe('2023-01-18T10:04:03.142Z');
    expect(timestamp('2023-01-18T11:04:03Z')).toBe('2023-01-18T11:04:03.000Z');
  });
});
