import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/database';
import { isEmpty, seedDemoTown } from './town';

async function main(): Promise<number> {
  const config = loadConfig();
  if (config.nodeEnv === 'production') {
    console.error('The demo town is never loaded in production (NODE_ENV=production).');
    return 2;
  }
  const db = await openDatabase(config, (line) => console.log(line));
  try {
    if (!(await isEmpty(db.orm.em.fork()))) {
      console.log('The database already has operators; the demo town is loaded only into an empty one.');
      return 0;
    }
    const demo = await seedDemoTown(db.orm.em.fork(), config.publicUrl);
    console.log('Loaded the demo town. Tokens (shown once):');
    for (const [role, token] of Object.entries(demo.tokens)) console.log(`  ${role.padEnd(10)} ${token}`);
    console.log(`Try a trace: ${demo.sampleTraceUrl}`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });
