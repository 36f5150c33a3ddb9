import { readFileSync } from 'node:fs';
import { SCHEMA_FILE, schemaText } from '../src/resolvers/emit-schema';

describe('schema.graphql', () => {
  it('is up to date with the resolvers (run `npm run schema:emit` after changing them)', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await schemaText());
  });
});
