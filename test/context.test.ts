import { Operator } from '../src/entities';
import { OperatorKind, Role } from '../src/entities/enums';
import { useTestApp } from './support/use-test-app';
import { token } from './support/factories';

const { t } = useTestApp({ each: 'none' });

describe('per-request context', () => {
  it('gives each request its own identity map, never the global one', async () => {
    const admin = await token(t, Role.ADMIN);
    const [a, b] = await Promise.all([t.app.contextFor(admin), t.app.contextFor(admin)]);
    expect(a.em).not.toBe(b.em);
    expect(a.em).not.toBe(t.orm.em);
    expect(a.loaders).not.toBe(b.loaders);

    const unflushed = a.em.create(Operator, { kind: OperatorKind.FARM, name: 'Unflushed farm', registrationCardNo: 'BA-X', publicCode: 'unflushed-code' });
    a.em.persist(unflushed);
    expect(a.em.getUnitOfWork().getPersistStack().has(unflushed)).toBe(true);
    expect(b.em.getUnitOfWork().getPersistStack().size).toBe(0);
    expect(await b.em.find(Operator, { name: 'Unflushed farm' })).toEqual([]);
    a.em.clear();
  });

  it('serves concurrent HTTP requests, each committing its own work', async () => {
    const admin = await token(t, Role.ADMIN);
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        t.gql(`mutation($input: RegisterMarketInput!) { registerMarket(input: $input) { name } }`, { input: { name: `M${i}` } }, admin),
      ),
    );
    expect(results.map((r) => r.data?.registerMarket.name).sort()).toEqual(['M0', 'M1', 'M2', 'M3', 'M4']);
    expect(await t.sql('select count(*)::int as n from market')).toEqual([{ n: 5 }]);
  });

  it('refuses the global EntityManager outside tests', async () => {
    const { MikroORM } = await import('@mikro-orm/postgresql');
    const { ormConfig } = await import('../src/db/orm');
    const orm = await MikroORM.init(ormConfig({ clientUrl: t.url }));
    try {
      expect(() => orm.em.getUnitOfWork()).toThrow(/global EntityManager/);
      await expect(orm.em.find(Operator, {})).rejects.toThrow(/global EntityManager/);
    } finally {
      await orm.close(true);
    }
  });
});
