import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createAccount } from './auth/account.service';
import { loadConfig } from './config';
import { openDatabase } from './database';
import { Role } from './entities/enums';

const USAGE = `Usage: npm run admin -- create-account --role ROLE --name "NAME" [--market ID] [--operator ID]
  ROLE is one of ${Object.values(Role).join(', ')}; GATE_STAFF needs --market, OPERATOR needs --operator.`;

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== 'create-account') {
    console.error(USAGE);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: { role: { type: 'string' }, name: { type: 'string' }, market: { type: 'string' }, operator: { type: 'string' } },
  });
  if (!values.role || !values.name || !Object.values(Role).includes(values.role as Role)) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const db = await openDatabase(config, (line) => console.error(line));
  try {
    const { account, token } = await createAccount({ em: db.orm.em.fork() }, {
      name: values.name,
      role: values.role as Role,
      marketId: values.market ?? null,
      operatorId: values.operator ?? null,
    });
    console.error(`Created ${account.role} account ${account.id} "${account.name}". The token is shown only now:`);
    console.log(token);
    return 0;
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    return 1;
  } finally {
    await db.close();
  }
}

main().then((code) => process.exit(code));
