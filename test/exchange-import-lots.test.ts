import { Role } from '../src/entities/enums';
import { makeOperator, newCreditCode, token } from './support/factories';
import { useTestApp } from './support/use-test-app';

const { t, f } = useTestApp();

const post = (body: string, tok: string | null, query = '') =>
  t.app.fastify.inject({ method: 'POST', url: `/imports/lots${query}`, headers: { 'content-type': 'text/csv', ...(tok ? { authorization: `Bearer ${tok}` } : {}) }, payload: body });

const lots = () => t.sql(`select o.name as owner, b.product_name, b.category, b.lot_code, b.quantity::float as quantity, b.unit, b.produced_at::text as produced, b.origin_place,
  (select json_agg(json_build_object('quantity', c.quantity::float, 'bases', c.bases, 'test', c.test_reference) order by c.id) from origin_certificate c where c.batch_id = b.id) as certificates
  from batch b join operator o on o.id = b.owner_id order by b.id`);

describe('bulk import of lots and certificates', () => {
  it('imports lots with their certificates all or nothing, idempotent by owner and lot code, with a dry run', async () => {
    const code = newCreditCode();
    await makeOperator(t, f.admin, { name: 'Plum Farm', creditCode: code, village: 'Qingshan' });
    const stall = await makeOperator(t, f.admin, { name: 'Noodle Stall', kind: 'STREET_VENDOR', creditCode: null });
    const [{ card }] = await t.sql('select registration_card_no as card from operator where id = $1', [stall.id]);
    const csv = [
      'owner,productName,category,lotCode,quantity,unit,producedAt,originPlace,certificateBases,certificateQuantity,testReference',
      `${code},Shiitake,EDIBLE_FUNGI,SH-1,80,KG,2026-11-02,South slope,SELF_TEST;COMMISSIONED_TEST,50,LAB-9`,
      `${code},Eggs,eggs,EG-1,300,piece,2026-11-03T06:00:00+08:00,,,,`,
      `${card},Noodles,VEGETABLE,N-1,12.5,KG,2026-11-03,,SELF_COMMITMENT,,`,
    ].join('\n') + '\n';

    const dry = await post(csv, f.admin, '?dryRun=true');
    expect(dry.json()).toEqual({ kind: 'lots', dryRun: true, committed: false, rows: 3, created: 3, existing: 0, refused: 0, errors: [] });
    expect(await lots()).toEqual([]);

    expect((await post(csv, f.regulator)).json()).toEqual({ kind: 'lots', dryRun: false, committed: true, rows: 3, created: 3, existing: 0, refused: 0, errors: [] });
    expect(await lots()).toEqual([
      { owner: 'Plum Farm', product_name: 'Shiitake', category: 'EDIBLE_FUNGI', lot_code: 'SH-1', quantity: 80, unit: 'KG', produced: '2026-11-01 16:00:00+00', origin_place: 'South slope',
        certificates: [{ quantity: 50, bases: ['SELF_TEST', 'COMMISSIONED_TEST'], test: 'LAB-9' }] },
      { owner: 'Plum Farm', product_name: 'Eggs', category: 'EGGS', lot_code: 'EG-1', quantity: 300, unit: 'PIECE', produced: '2026-11-02 22:00:00+00', origin_place: 'Qingshan', certificates: null },
      { owner: 'Noodle Stall', product_name: 'Noodles', category: 'VEGETABLE', lot_code: 'N-1', quantity: 12.5, unit: 'KG', produced: '2026-11-02 16:00:00+00', origin_place: 'Qingshan',
        certificates: [{ quantity: 12.5, bases: ['SELF_COMMITMENT'], test: null }] },
    ]);

    // sent again: nothing new, no second certificate
    expect((await post(csv, f.admin)).json()).toEqual({ kind: 'lots', dryRun: false, committed: true, rows: 3, created: 0, existing: 3, refused: 0, errors: [] });
    expect(await t.sql('select count(*)::int as n from origin_certificate')).toEqual([{ n: 2 }]);
  });

  it('refuses the whole file with an error per refused line, and writes nothing', async () => {
    const code = newCreditCode();
    await makeOperator(t, f.admin, { creditCode: code });
    const csv = [
      'owner,productName,category,lotCode,quantity,unit,producedAt,certificateBases,certificateQuantity',
      `${code},Leeks,VEGETABLE,OK-1,10,KG,2026-11-01,,`,
      `NOBODY,Leeks,VEGETABLE,L-2,10,KG,2026-11-01,,`,
      `${code},Leeks,GRAVEL,L-3,10,KG,2026-11-01,,`,
      `${code},Leeks,VEGETABLE,L-4,-3,KG,2026-11-01,,`,
      `${code},Leeks,VEGETABLE,L-5,10,KG,2099-01-01,,`,
      `${code},Leeks,VEGETABLE,OK-1,10,KG,2026-11-01,,`,
      `${code},Leeks,VEGETABLE,L-7,10,KG,2026-11-01,MAGIC,`,
      `${code},Leeks,VEGETABLE,L-8,10,KG,2026-11-01,SELF_TEST,11`,
      `${code},Leeks,VEGETABLE,L-9,10,KG,yesterday,,`,
    ].join('\n') + '\n';
    const res = await post(csv, f.admin);
    expect(res.statusCode).toBe(400);
    expect(res.json().report.errors).toEqual([
      { line: 3, field: 'owner', message: 'owner: no operator has the credit code or registration-card number NOBODY' },
      { line: 4, field: 'category', message: 'category: must be one of VEGETABLE, FRUIT, DAIRY, EDIBLE_FUNGI, TEA, LIVESTOCK_POULTRY, EGGS, AQUATIC' },
      { line: 5, field: 'quantity', message: 'quantity: must be a number such as 12.5 (at most 3 decimals)' },
      { line: 6, field: 'producedAt', message: 'producedAt: must not be in the future' },
      { line: 7, field: 'lotCode', message: 'lotCode: repeats line 2' },
      { line: 8, field: 'certificateBases', message: 'certificateBases: MAGIC is not one of COMMISSIONED_TEST, SELF_TEST, INTERNAL_QC, SELF_COMMITMENT' },
      { line: 9, field: 'quantity', message: 'quantity: must not exceed the batch quantity 10 KG' },
      { line: 10, field: 'producedAt', message: 'producedAt: must be a date YYYY-MM-DD or a time such as 2026-11-01T06:00:00+08:00' },
    ]);
    expect(await lots()).toEqual([]);
    expect((await post(csv, null)).statusCode).toBe(401);
  });
});

describe('GET /exports/registry.csv', () => {
  it('gives regulators the whole registry as CSV, contact data included, and records the read', async () => {
    const code = newCreditCode();
    const a = await makeOperator(t, f.admin, { name: '=Plum, "Farm"', creditCode: code, village: 'Qingshan', contactPerson: 'Wang', contactPhone: '13800000001' });
    const b = await makeOperator(t, f.admin, { name: 'Noodle Stall', kind: 'STREET_VENDOR', creditCode: null, village: null, contactPerson: null, contactPhone: null });
    const [{ card, at_a, at_b }] = await t.sql(`select (select registration_card_no from operator where id = $2) as card,
      (select created_at from operator where id = $1) as at_a, (select created_at from operator where id = $2) as at_b`, [a.id, b.id]);
    const res = await t.app.fastify.inject({ method: 'GET', url: '/exports/registry.csv', headers: { authorization: `Bearer ${f.regulator}` } });
    expect([res.statusCode, res.headers['content-type'], res.headers['content-disposition']]).toEqual([200, 'text/csv; charset=utf-8', 'attachment; filename="registry.csv"']);
    expect(res.body).toBe(
      '\ufeffid,kind,name,credit_code,registration_card_no,village,address,contact_person,contact_phone,status,grade,registered_at\r\n'
      + `${a.id},FARM,"'=Plum, ""Farm""",${code},,Qingshan,,Wang,13800000001,ACTIVE,A,${new Date(at_a).toISOString()}\r\n`
      + `${b.id},STREET_VENDOR,Noodle Stall,,${card},,,,,ACTIVE,A,${new Date(at_b).toISOString()}\r\n`,
    );
    expect(await t.sql(`select operation, kind, personal_data from audit_event where operation = 'GET /exports/registry.csv'`)).toEqual([
      { operation: 'GET /exports/registry.csv', kind: 'READ', personal_data: [{ type: 'Operator', field: 'contactPerson', id: null }, { type: 'Operator', field: 'contactPhone', id: null }] },
    ]);
    for (const tok of [null, await token(t, Role.OPERATOR, { operatorId: a.id })]) {
      const refused = await t.app.fastify.inject({ method: 'GET', url: '/exports/registry.csv', headers: tok ? { authorization: `Bearer ${tok}` } : {} });
      expect(refused.statusCode).toBe(tok ? 403 : 401);
    }
  });
});
