/**
 * The layering of src/, written once: imports point down.
 *
 * LAYERS lists the layers from the bottom up; a module may import from its own layer's part (its own folder or
 * file) and from any layer below it, never from a layer above it or from another part of its own layer.
 * `npm run layering` checks it; `.ci/run` runs that before the tests.
 */

/**
 * Bottom first. Each entry is one layer; each string is one part of it: a folder or a file under src/.
 * `*.model.ts` files, wherever they sit, are the domain's own types: they belong to the bottom layer.
 */
const LAYERS = [
  // plain values every layer may use
  ['errors.ts', 'log-safe.ts', 'quantity.ts', 'local-time.ts', 'public-code.ts', 'schedule.ts'],
  ['entities', 'config.ts', 'validation.ts', 'format-error.ts'],
  // GraphQL object types, built from the domain's types
  ['schema'],
  // the ORM and migrations; one module per table, where every SQL statement on a table is written;
  // per-request loaders over them; the request context and its transactions
  ['db'],
  ['tables'],
  ['loaders'],
  ['context.ts'],
  // the domain, lowest first
  ['auth'],
  ['registry'],
  // notifications: the outbox every area writes into with its event, and the queue that delivers it
  ['notify'],
  ['credit'],
  ['trace'],
  ['gate'],
  // field supervision: checklists, inspections with photos, rectification orders
  ['supervision'],
  // incidents: reported, traced both ways, handled to the end
  ['incident'],
  // banquets and rural chefs; canteens' receiving checks and samples (each reads lots through the gate's code reader)
  ['banquet', 'canteen'],
  // the town at a glance: evaluation indicators and scorecards, trainings, the work plan and ledger, the self-assessment
  ['assessment'],
  // the audit trail: written for every request by an Apollo plugin, read by ADMIN
  ['audit'],
  // data exchange: EPCIS capture and query, regulators' spreadsheets, registry imports
  ['exchange'],
  // the regulator desk's charts: counts over the credit archive, gate entries, tests and incidents
  ['charts'],
  // translation: request limits, HTTP routes and pages, GraphQL resolvers
  ['limits'],
  ['web'],
  ['resolvers'],
  // wiring
  ['server.ts', 'database.ts', 'cluster.ts'],
  ['main.ts', 'admin.ts'],
];

const MODEL = '\\.model\\.ts$';

/** The regex that matches a part's modules. */
function pathOf(part) {
  const escaped = part.replace(/\./g, '\\.');
  return part.endsWith('.ts') ? `^src/${escaped}$` : `^src/${escaped}/`;
}

const forbidden = [];
LAYERS.forEach((layer, level) => {
  const above = LAYERS.slice(level + 1).flat();
  for (const part of layer) {
    const sameLayer = layer.filter((p) => p !== part);
    const targets = [...above, ...sameLayer];
    if (!targets.length) continue;
    forbidden.push({
      name: `imports-point-down:${part}`,
      comment: `src/${part} may import only from its own part and from layers below it`,
      severity: 'error',
      from: { path: pathOf(part), pathNot: MODEL },
      to: { path: targets.map(pathOf), pathNot: MODEL },
    });
  }
});

forbidden.push(
  {
    name: 'models-are-the-bottom',
    comment: 'a *.model.ts file declares the domain\'s types: it imports only enums, other models and plain values',
    severity: 'error',
    from: { path: MODEL },
    to: { path: '^src/', pathNot: [MODEL, '^src/entities/enums\\.ts$', '^src/(errors|quantity|local-time|public-code)\\.ts$'] },
  },
  {
    name: 'domain-speaks-its-own-types',
    comment: 'the domain folders never import GraphQL classes; schema/ is built from the domain types',
    severity: 'error',
    from: { path: '^src/(auth|registry|credit|trace|gate|supervision|incident|notify|banquet|canteen|exchange|db|tables)/' },
    to: { path: '^src/schema/' },
  },
  {
    name: 'no-circular',
    comment: 'a cycle between modules hides which one is lower',
    severity: 'error',
    from: { path: '^src/' },
    to: { circular: true },
  },
  {
    name: 'src-stays-out-of-seeds-tests-and-bench',
    comment: 'the server imports none of the demo data, tests or benchmarks (the demo town is loaded on demand)',
    severity: 'error',
    from: { path: '^src/' },
    to: { path: '^(seeds|test|bench)/', dependencyTypesNot: ['dynamic-import'] },
  },
);

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^src/web/assets/' },
  },
};
