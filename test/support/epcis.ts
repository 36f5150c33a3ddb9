import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { Grade } from '../../src/entities/enums';
import { isSampled } from '../../src/gate/gate.service';

/** The official GS1 EPCIS 2.0 JSON schema and examples, kept with the tests so they run anywhere. */
const FIXTURES = join(__dirname, '..', 'fixtures', 'epcis');

export const read = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

/** Validates a document against the EPCIS 2.0 schema; `validate.errors` says why not. */
export const validate = ajv.compile(read('EPCIS-JSON-Schema.json'));

/** A gate scan id that an A-grade operator's load is (or is not) sampled for a rapid test with, under the app's secret. */
export const scanId = (tag: string, sampled: boolean, secret: string) => {
  for (let i = 0; ; i++) if (isSampled(`${tag}-${i}`, Grade.A, secret) === sampled) return `${tag}-${i}`;
};
