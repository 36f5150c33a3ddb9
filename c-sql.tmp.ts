import { producedCtes } from './src/exchange/fsma.sql';
const [from, to, product, category] = process.argv.slice(2).map((x) => (x === 'null' ? null : x));
const { sql, params } = producedCtes({ from: from as any, to: to as any, productName: product, category });
let i = 0;
console.log(sql.replace(/\?/g, () => { const v = params[i++]; return v === null ? 'null' : `'${String(v).replace(/'/g, "''")}'`; }) + ';');
