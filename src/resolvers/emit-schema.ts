import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildAppSchema } from './index';

export const SCHEMA_FILE = join(__dirname, '..', 'schema', 'schema.graphql');

/** The SDL clients see, sorted so that diffs are stable. */
export async function schemaText(): Promise<string> {
  return `# Emitted by \`npm run schema:emit\`; do not edit.\n\n${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}

if (require.main === module) {
  schemaText().then((text) => {
    writeFileSync(SCHEMA_FILE, text);
    console.log(`wrote ${SCHEMA_FILE}`);
  });
}
