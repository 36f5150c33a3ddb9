import { localDate } from '../src/local-time';
import { useTestApp } from './support/use-test-app';
import { makeBatch, makeOperator, ok } from './support/factories';

const { t, f } = useTestApp();

const inFiveDays = () => new Date(Date.parse(`${localDate(new Date(), 'Asia/Shanghai')}T00:00:00Z`) + 5 * 86_400_000).toISOString().slice(0, 10);
const form = (over: Record<string, string> = {}) => new URLSearchParams({
  hostName: 'Zhang San', hostPhone: '13900001111', village: 'Qingshan', kind: 'FUNERAL', heldOn: inFiveDays(), meal: 'DINNER', guests: '250',
  venue: 'Courtyard', menu: 'Eight dishes', chefs: 'Chef Liu', ingredients: 'Rice', ...over,
}).toString();
const post = (body: string, lang = 'en') => t.app.fastify.inject({
  method: 'POST', url: `/banquet?lang=${lang}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body,
});

describe('/banquet', () => {
  it('serves the form in zh and en without sign-in, with the page security headers', async () => {
    const zh = await t.app.fastify.inject({ method: 'GET', url: '/banquet?lang=zh' });
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('农村集体聚餐备案');
    expect(zh.headers['content-security-policy']).toContain("script-src 'self'");
    const en = await t.app.fastify.inject({ method: 'GET', url: '/banquet?lang=en' });
    expect(en.body).toContain('Village banquet filing');
  });

  it('files from a plain form post: the number, the county tier, a recalled ingredient warned at once, and no host contact on the page', async () => {
    const farm = await makeOperator(t, f.admin);
    const lot = await makeBatch(t, f.admin, farm.id, { productName: 'Duck' });
    ok(await t.gql(`mutation($input: InitiateRecallInput!) { initiateRecall(input: $input) { recallId } }`, { input: { batchId: lot.id, reason: 'Salmonella' } }, f.regulator));
    const res = await post(form({ ingredients: `Rice\nDuck, https://trace.example/t/${lot.publicCode}` }));
    expect(res.statusCode).toBe(201);
    const number = /id="banquet-number">(YH\d{10})</.exec(res.body)?.[1];
    expect(number).toBeDefined();
    expect(res.body).toContain('The county guides on site');
    expect(res.body).toContain('data-code="INGREDIENT_RECALLED">Duck: This lot has been recalled: do not use it');
    expect(res.body).not.toContain('13900001111');
    const [row] = await t.sql('select host_phone, guests, tier from banquet where number = $1', [number]);
    expect(row).toEqual({ host_phone: '13900001111', guests: 250, tier: 'COUNTY_ON_SITE' });
    const [ing] = await t.sql('select i.batch_id from banquet_ingredient i join banquet b on b.id = i.banquet_id where b.number = $1 and i.name = $2', [number, 'Duck']);
    expect(ing.batch_id).toBe(Number(lot.id));
  });

  it('a bad field answers 400 with the form, its error and what was typed kept', async () => {
    const res = await post(form({ guests: 'many', venue: 'Courtyard <b>' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('guests: must be a whole number from 1 to 100000');
    expect(res.body).toContain('value="Courtyard &lt;b&gt;"');
    const broken = await t.app.fastify.inject({ method: 'POST', url: '/banquet', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'hostName=%00' });
    expect(broken.statusCode).toBe(400);
  });
});

describe('/canteen', () => {
  it('serves the page shell in zh and en with its script', async () => {
    const zh = await t.app.fastify.inject({ method: 'GET', url: '/canteen?lang=zh' });
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('食堂进货查验');
    expect(zh.body).toContain('<script src="/static/canteen.js" defer></script>');
    const script = await t.app.fastify.inject({ method: 'GET', url: '/static/canteen.js' });
    expect(script.statusCode).toBe(200);
  });
});
