import { withTransaction } from '../src/context';
import { createLedgerCheckpoint } from '../src/credit/checkpoint.service';
import { lsnValue, ReadRoute, replicaSettings } from '../src/db/read-route';
import { connectOrm } from '../src/db/orm';
import { NotificationKind, Role } from '../src/entities/enums';
import { deliverOutboxEvent } from '../src/notify/delivery';
import { subscribeLiveNotices } from '../src/notify/listen';
import type { LiveNotice } from '../src/notify/notify.model';
import { recordNotification } from '../src/notify/outbox';
import { makeOperator } from './support/factories';
import { useTestApp } from './support/use-test-app';

const { t, f } = useTestApp({ config: { ledgerSigningKey: null } });
const quiet = { warn: () => undefined };

describe('schedules in several processes', () => {
  it('two signers on the same schedule at once store one checkpoint for the same heads', async () => {
    await makeOperator(t, f.admin);
    const signed = await Promise.all([1, 2, 3].map(() => createLedgerCheckpoint({ em: t.orm.em.fork(), config: t.config }, true)));
    expect(new Set(signed.map((c) => c.id)).size).toBe(1);
    expect(await t.sql(`select count(*)::int as n from checkpoint`)).toEqual([{ n: 1 }]);
  });
});

describe('live notices across processes', () => {
  it('hands every delivered inbox row to each subscriber, whichever connection delivered it', async () => {
    const heard: LiveNotice[][] = [[], []];
    // two subscribers stand for two app processes; the delivery below runs on a third connection
    const subscriptions = await Promise.all(heard.map((list) => subscribeLiveNotices(t.url, (n) => list.push(n), quiet)));
    try {
      const outboxId = await withTransaction({ em: t.orm.em.fork() }, (tx) =>
        recordNotification(tx, { kind: NotificationKind.RECALL_STARTED, subject: 'Recall of lot TY-P-01', payload: {}, audience: { roles: [Role.REGULATOR] } }));
      const delivered = await deliverOutboxEvent(t.orm, outboxId);
      expect(delivered.notices.length).toBe(1);
      for (let i = 0; i < 50 && heard.some((list) => !list.length); i++) await new Promise((r) => setTimeout(r, 20));
      const [regulator] = await t.sql(`select id from account where role = 'REGULATOR'`);
      const expected = [{ id: delivered.notices[0].id, eventId: outboxId, accountId: regulator.id, kind: 'RECALL_STARTED', subject: 'Recall of lot TY-P-01' }];
      expect(heard).toEqual([expected, expected]);
    } finally {
      await Promise.all(subscriptions.map((s) => s.stop()));
    }
  });
});

describe('the read route', () => {
  it('reads WAL positions and the settings from the configuration', () => {
    expect(lsnValue('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
    expect([lsnValue('zz/1'), lsnValue(null), lsnValue('1/2/3')]).toEqual([null, null, null]);
    expect(replicaSettings({ readDatabaseUrl: null, readMaxLagMs: 1000 })).toBeNull();
    expect(replicaSettings({ readDatabaseUrl: 'postgres://r/db', readMaxLagMs: 1000 })).toEqual({ url: 'postgres://r/db', maxLagMs: 1000, probeMs: 250, poolMax: 10 });
  });

  it('never reads a READ_DATABASE_URL that is not a standby', async () => {
    const other = await connectOrm({ clientUrl: t.url, poolMax: 1 });
    const route = new ReadRoute(t.orm, other, replicaSettings({ readDatabaseUrl: t.url, readMaxLagMs: 1000 })!);
    try {
      await route.start();
      expect(route.status()).toEqual({ standby: false, replayLsn: null, stalenessMs: null });
      expect(route.readTarget({ writtenAt: null })).toBe('primary');
    } finally {
      await route.close();
    }
  });
});
