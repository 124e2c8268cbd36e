import { createSeededRandom, type SeededRandom } from './create-seeded-random.ts';

export interface PlannedClass {
  name: string;
  methods: string[];
  /** A class of another module this one extends. */
  base?: { module: number; name: string };
}

/** One source file to write: what it exports (so importers can use it) and what it imports. */
export interface PlannedModule {
  index: number;
  /** Repository-relative, e.g. `src/billing/invoicing/services/invoice-cached-service.ts`. */
  path: string;
  domain: string;
  kind: 'module' | 'test' | 'barrel';
  classes: PlannedClass[];
  functions: string[];
  interfaces: string[];
  /** Modules whose exports this one imports (for a test: its subject first). */
  imports: number[];
  /** How long the rendered file should be, at least (barrels excepted). */
  targetLines: number;
}

export interface RepositoryPlan {
  modules: PlannedModule[];
  domains: string[];
}

/** The `status` values of every generated interface. */
export const statuses = ['open', 'pending', 'closed', 'failed', 'archived'];

const domainEntities: Record<string, string[]> = {
  billing: ['invoice', 'payment', 'refund', 'ledger', 'charge'],
  orders: ['order', 'cart', 'checkout', 'fulfilment', 'quote'],
  inventory: ['stock', 'sku', 'reservation', 'location', 'batch'],
  shipping: ['shipment', 'parcel', 'carrier', 'route', 'label'],
  accounts: ['account', 'profile', 'membership', 'credential', 'team'],
  catalog: ['product', 'category', 'variant', 'bundle', 'attribute'],
  payments: ['transaction', 'card', 'wallet', 'payout', 'dispute'],
  notifications: ['message', 'template', 'channel', 'digest', 'subscription'],
  reports: ['report', 'metric', 'dashboard', 'export', 'snapshot'],
  search: ['query', 'index', 'facet', 'suggestion', 'ranking'],
  identity: ['session', 'token', 'permission', 'role', 'grant'],
  analytics: ['event', 'funnel', 'cohort', 'segment', 'trend'],
  pricing: ['price', 'discount', 'coupon', 'promotion', 'tariff'],
  reviews: ['review', 'rating', 'comment', 'moderation', 'vote'],
  support: ['ticket', 'agent', 'escalation', 'macro', 'queue'],
  loyalty: ['reward', 'tier', 'points', 'voucher', 'campaign'],
  warehouse: ['bin', 'pick', 'pallet', 'dock', 'transfer'],
  returns: ['rma', 'inspection', 'restock', 'exchange', 'claim'],
  tax: ['jurisdiction', 'rate', 'exemption', 'filing', 'nexus'],
  marketing: ['audience', 'newsletter', 'landing', 'experiment', 'referral'],
  scheduling: ['slot', 'calendar', 'booking', 'shift', 'reminder'],
  compliance: ['audit', 'policy', 'retention', 'consent', 'evidence'],
  media: ['asset', 'thumbnail', 'upload', 'transcode', 'gallery'],
  integrations: ['webhook', 'connector', 'mapping', 'sync', 'credentialset'],
};
const features = ['core', 'admin', 'public', 'jobs', 'import', 'reporting'];
const layers = ['api', 'services', 'domain', 'repositories', 'adapters', 'policies'];
const qualifiers = [
  'Default',
  'Cached',
  'Remote',
  'Batch',
  'Scheduled',
  'Legacy',
  'Secure',
  'Local',
  'Draft',
  'Shared',
  'Composite',
  'Tenant',
];
const rolesByLayer: Record<string, string[]> = {
  api: ['Controller', 'Handler', 'Routes', 'Endpoint'],
  services: ['Service', 'Coordinator', 'Workflow', 'Scheduler'],
  domain: ['Model', 'Aggregate', 'Calculator', 'Specification'],
  repositories: ['Repository', 'Store', 'Gateway', 'Cache'],
  adapters: ['Client', 'Mapper', 'Serializer', 'Adapter'],
  policies: ['Policy', 'Validator', 'Guard', 'Rule'],
};
const verbs = [
  'find',
  'save',
  'remove',
  'list',
  'validate',
  'apply',
  'refresh',
  'load',
  'publish',
  'schedule',
  'cancel',
  'approve',
  'compute',
  'sync',
  'archive',
  'restore',
  'notify',
  'estimate',
  'merge',
  'split',
];
const functionVerbs = [
  'calculate',
  'format',
  'parse',
  'build',
  'normalize',
  'merge',
  'filter',
  'group',
  'summarize',
  'resolve',
  'score',
  'render',
  'compare',
  'select',
];
const functionNouns = [
  'Total',
  'Summary',
  'Key',
  'Window',
  'Limits',
  'Batch',
  'Snapshot',
  'Label',
  'Status',
  'Range',
  'Weight',
  'Delta',
];
const interfaceSuffixes = ['Options', 'Record', 'Request', 'Result', 'Filter', 'Settings'];

const pascal = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);
const kebab = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** A file path not used yet: `name.ts`, else `name-2.ts`, `name-3.ts`... */
function uniquePath(taken: Set<string>, stem: string, extension: string): string {
  let path = `${stem}${extension}`;
  for (let counter = 2; taken.has(path); counter += 1) path = `${stem}-${counter}${extension}`;
  taken.add(path);
  return path;
}

/** A name not used yet: the first free of a few random tries, else the last try with a counter. */
function uniqueName(taken: Set<string>, make: () => string): string {
  let name = make();
  for (let attempt = 0; attempt < 8 && taken.has(name); attempt += 1) name = make();
  let counter = 2;
  const stem = name;
  while (taken.has(name)) name = `${stem}${counter++}`;
  taken.add(name);
  return name;
}

function planExports(random: SeededRandom, entity: string, layer: string, taken: Set<string>) {
  const entityName = pascal(entity);
  const className = () =>
    `${random.chance(0.6) ? random.pick(qualifiers) : ''}${entityName}${random.pick(rolesByLayer[layer]!)}`;
  const classes: PlannedClass[] = Array.from({ length: random.integer(1, 2) }, () => ({
    name: uniqueName(taken, className),
    // Plain verbs repeat across thousands of classes (`find`, `save`), as in real code: resolution has to
    // use the receiver's type, not the name.
    methods: [
      ...new Set(
        Array.from({ length: random.integer(2, 4) }, () =>
          random.chance(0.5) ? random.pick(verbs) : `${random.pick(verbs)}${entityName}`,
        ),
      ),
    ],
  }));
  // Function names may repeat across files (only imports disambiguate them); within a file they are unique.
  const functions = [
    ...new Set(
      Array.from(
        { length: random.integer(1, 3) },
        () => `${random.pick(functionVerbs)}${entityName}${random.pick(functionNouns)}`,
      ),
    ),
  ];
  const interfaces = Array.from({ length: random.integer(1, 2) }, () =>
    uniqueName(taken, () => `${entityName}${random.pick(qualifiers)}${random.pick(interfaceSuffixes)}`),
  );
  return { classes, functions, interfaces };
}

/**
 * Decides every file of a synthetic TypeScript repository before any is written, so each file can import
 * what others really export. About 88 % are modules, 10 % tests of a module beside it, and one barrel
 * (`index.ts`) per domain; each module imports 2-7 others: half from its own domain, the rest across domains.
 *
 * @example
 * const plan = planSyntheticRepository({ files: 2000, seed: 1 });
 * plan.modules.length; // 2000
 */
export function planSyntheticRepository(options: { files: number; seed: number }): RepositoryPlan {
  const random = createSeededRandom(options.seed);
  const domains = Object.keys(domainEntities);
  const barrels = Math.min(domains.length, Math.max(1, Math.floor(options.files / 50)));
  const tests = Math.floor((options.files - barrels) * 0.1);
  const moduleCount = options.files - barrels - tests;
  const takenNames = new Set<string>();
  const takenPaths = new Set<string>();
  const modules: PlannedModule[] = [];

  for (let index = 0; index < moduleCount; index += 1) {
    const domain = domains[index % domains.length]!;
    const entity = random.pick(domainEntities[domain]!);
    const layer = random.pick(layers);
    const exports = planExports(random, entity, layer, takenNames);
    const folder = `src/${domain}/${random.pick(features)}/${layer}`;
    const path = uniquePath(takenPaths, `${folder}/${kebab(exports.classes[0]!.name)}`, '.ts');
    modules.push({
      index,
      path,
      domain,
      kind: 'module',
      ...exports,
      imports: [],
      targetLines: random.integer(100, 250),
    });
  }
  const byDomain = new Map<string, number[]>();
  for (const planned of modules)
    byDomain.set(planned.domain, [...(byDomain.get(planned.domain) ?? []), planned.index]);
  for (const planned of modules) {
    const wanted = random.integer(2, 7);
    const chosen = new Set<number>();
    for (let attempt = 0; chosen.size < wanted && attempt < wanted * 4; attempt += 1) {
      const pool = random.chance(0.5) ? byDomain.get(planned.domain)! : modules.map((other) => other.index);
      const target = random.pick(pool);
      if (target !== planned.index) chosen.add(target);
    }
    planned.imports = [...chosen];
    // Some classes extend a class of an imported module, so inheritance resolution has work too.
    const first = planned.classes[0]!;
    const baseModule = planned.imports[0];
    if (baseModule !== undefined && random.chance(0.2)) {
      first.base = { module: baseModule, name: random.pick(modules[baseModule]!.classes).name };
    }
  }
  for (let index = 0; index < tests; index += 1) {
    const subject = modules[random.integer(0, moduleCount - 1)]!;
    const path = uniquePath(takenPaths, subject.path.replace(/\.ts$/, ''), '.test.ts');
    modules.push({
      index: modules.length,
      path,
      domain: subject.domain,
      kind: 'test',
      classes: [],
      functions: [],
      interfaces: [],
      imports: [subject.index],
      targetLines: random.integer(100, 250),
    });
  }
  for (const domain of domains.slice(0, barrels)) {
    const members = (byDomain.get(domain) ?? []).slice(0, random.integer(6, 14));
    modules.push({
      index: modules.length,
      path: `src/${domain}/index.ts`,
      domain,
      kind: 'barrel',
      classes: [],
      functions: [],
      interfaces: [],
      imports: members,
      targetLines: 0,
    });
  }
  return { modules, domains };
}
