import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes an empty, timestamped migration for hand-written SQL and prints how to register it. */
const name = (process.argv[2] ?? '').replace(/[^A-Za-z0-9_]/g, '');
if (!name) {
  console.error('Usage: npm run migration:create -- <name>');
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const className = `Migration${stamp}_${name}`;
const file = join(__dirname, 'migrations', `${className}.ts`);
writeFileSync(
  file,
  `import { Migration } from '@mikro-orm/migrations';

export class ${className} extends Migration {
  override async up(): Promise<void> {
    this.addSql(\`\`);
  }
}
`,
);
console.log(`wrote ${file}\nadd it to MIGRATIONS in src/db/migrations/index.ts`);
