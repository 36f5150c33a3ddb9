import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createAccount, revokeAccount, rotateAccountToken } from './auth/account.service';
import { loadConfig } from './config';
import { openDatabase } from './database';
import { Role } from './entities/enums';

const USAGE = `Usage:
  npm run admin -- create-account --role ROLE --name "NAME" [--market ID] [--operator ID] [--village NAME] [--expires ISO-DATE-TIME]
  npm run admin -- revoke-account --id ID
  npm run admin -- rotate-token --id ID [--expires ISO-DATE-TIME]
  ROLE is one of ${Object.values(Role).join(', ')}; GATE_STAFF needs --market, OPERATOR needs --operator,
  VILLAGE_ASSISTANT needs --village.
  A new or rotated token is printed once, on standard output; nothing else is.`;

const OPTIONS = {
  role: { type: 'string' }, name: { type: 'string' }, market: { type: 'string' }, operator: { type: 'string' }, village: { type: 'string' },
  id: { type: 'string' }, expires: { type: 'string' },
} as const;

function expiry(raw: string | undefined): Date | null | 'bad' {
  if (raw === undefined) return null;
  const d = new Date(raw);
  return /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(raw) && !Number.isNaN(d.getTime()) ? d : 'bad';
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  let values: { [K in keyof typeof OPTIONS]?: string };
  try {
    values = parseArgs({ args: rest, options: OPTIONS }).values;
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : e}\n${USAGE}`);
    return 2;
  }
  const expiresAt = expiry(values.expires);
  const valid =
    expiresAt !== 'bad' &&
    ((command === 'create-account' && !!values.role && !!values.name && Object.values(Role).includes(values.role as Role)) ||
      (command === 'revoke-account' && !!values.id && values.expires === undefined) ||
      (command === 'rotate-token' && !!values.id));
  if (!valid) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const db = await openDatabase(config, (line) => console.error(line));
  // the host's administrator: no viewer, so every account may be managed
  const ctx = { em: db.orm.em.fork(), config };
  try {
    if (command === 'create-account') {
      const { account, token } = await createAccount(ctx, {
        name: values.name!, role: values.role as Role, marketId: values.market ?? null, operatorId: values.operator ?? null, village: values.village ?? null, expiresAt: expiresAt as Date | null,
      });
      console.error(`Created ${account.role} account ${account.id} "${account.name}"${until(account.expiresAt)}. The token is shown only now:`);
      console.log(token);
    } else if (command === 'revoke-account') {
      const account = await revokeAccount(ctx, values.id!);
      console.error(`Revoked ${account.role} account ${account.id} "${account.name}" at ${account.revokedAt!.toISOString()}; its token no longer works.`);
    } else {
      const { account, token } = await rotateAccountToken(ctx, values.id!, expiresAt as Date | null);
      console.error(`New token for ${account.role} account ${account.id} "${account.name}"${until(account.expiresAt)}; the old one no longer works. It is shown only now:`);
      console.log(token);
    }
    return 0;
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    return 1;
  } finally {
    await db.close();
  }
}

function until(expiresAt: Date | null): string {
  return expiresAt ? `, valid until ${expiresAt.toISOString()}` : '';
}

main().then((code) => process.exit(code));
