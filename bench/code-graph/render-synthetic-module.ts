import type { SeededRandom } from './create-seeded-random.ts';
import {
  statuses,
  type PlannedClass,
  type PlannedModule,
  type RepositoryPlan,
} from './plan-synthetic-repository.ts';
import { renderSyntheticTest } from './render-synthetic-test.ts';
import { specifierFor } from './specifier-for.ts';

/** What a module can use from its imports, by the local expression that reaches it. */
interface Available {
  functions: string[];
  classes: { expression: string; methods: string[] }[];
  types: string[];
}

const sentences = [
  'Keeps the totals consistent when a batch is retried.',
  'Called by the nightly job and by the API; both pass already validated input.',
  'Returns 0 rather than throwing so a report can still be rendered.',
  'The limit protects the downstream service from oversized pages.',
  'Rounds half up, as the finance team expects.',
  'Reads through the cache first; a miss costs one round trip.',
];

const camel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/** The import lines of a module, and what they make available under which local names. */
function renderImports(
  plan: RepositoryPlan,
  module: PlannedModule,
  random: SeededRandom,
  barrelOf: Map<number, PlannedModule>,
) {
  const lines: string[] = [];
  const available: Available = { functions: [], classes: [], types: [] };
  // A local name may be bound once per file: a function name two imports both export is taken from the first.
  const bound = new Set<string>();
  module.imports.forEach((targetIndex, position) => {
    const target = plan.modules[targetIndex]!;
    const barrel = barrelOf.get(targetIndex);
    const viaBarrel = barrel !== undefined && barrel.domain !== module.domain && random.chance(0.3);
    const source = viaBarrel ? barrel : target;
    const specifier = specifierFor(
      module,
      source,
      random.chance(viaBarrel ? 0.5 : 0.2) ? 'alias' : 'relative',
    );
    const base = module.classes[0]?.base;
    if (!viaBarrel && base === undefined && random.chance(0.1)) {
      const namespace = camel(target.classes[0]!.name).replace(/[A-Z][a-z]+$/, '') || 'imported';
      const local = `${namespace}Module${position}`;
      lines.push(`import * as ${local} from '${specifier}';`);
      available.functions.push(...target.functions.map((name) => `${local}.${name}`));
      available.classes.push(
        ...target.classes.map((entry) => ({ expression: `${local}.${entry.name}`, methods: entry.methods })),
      );
      available.types.push(...target.interfaces.map((name) => `${local}.${name}`));
      return;
    }
    const names = new Set<string>();
    const classes = target.classes.filter(
      (entry) => random.chance(0.7) || entry.name === (position === 0 ? base?.name : undefined),
    );
    for (const entry of classes) {
      if (bound.has(entry.name)) continue;
      bound.add(entry.name);
      names.add(entry.name);
      available.classes.push({ expression: entry.name, methods: entry.methods });
    }
    for (const name of target.functions) {
      if ((names.size > 0 && !random.chance(0.5)) || bound.has(name)) continue;
      bound.add(name);
      names.add(name);
      available.functions.push(name);
    }
    const typeNames = target.interfaces.filter((name) => !bound.has(name) && random.chance(0.5));
    for (const name of typeNames) bound.add(name);
    available.types.push(...typeNames);
    const listed = [...names, ...typeNames.map((name) => `type ${name}`)];
    if (listed.length === 0) return;
    if (names.size === 0) lines.push(`import type { ${typeNames.join(', ')} } from '${specifier}';`);
    else lines.push(`import { ${listed.join(', ')} } from '${specifier}';`);
  });
  return { lines, available };
}

function renderStatement(
  random: SeededRandom,
  available: Available,
  own: { methods: string[]; fields: { name: string; methods: string[] }[]; helpers: string[] },
  depth: number,
): string[] {
  const choice = random.integer(0, depth > 0 ? 3 : 8);
  const call = (): string => {
    const options: string[] = [];
    if (available.functions.length > 0) options.push(`${random.pick(available.functions)}(value)`);
    if (own.fields.length > 0) {
      const field = random.pick(own.fields);
      options.push(`this.${field.name}.${random.pick(field.methods)}(value)`);
    }
    if (own.methods.length > 0)
      options.push(`this.${random.pick(own.methods)}({ amount: value, status: 'open' })`);
    if (own.helpers.length > 0) options.push(`${random.pick(own.helpers)}(value)`);
    return options.length > 0 ? `Number(${random.pick(options)})` : 'Math.max(0, value)';
  };
  const block = (): string[] =>
    [
      ...renderStatement(random, available, own, depth + 1),
      ...(random.chance(0.3) ? renderStatement(random, available, own, depth + 1) : []),
    ].map((line) => `  ${line}`);
  switch (choice) {
    case 0:
    case 1:
      return [`value += ${call()};`];
    case 2:
      return [`value = Math.round(value * ${random.integer(2, 9)}) / ${random.integer(2, 9)};`];
    case 3:
      if (available.classes.length > 0) {
        const target = random.pick(available.classes);
        return [
          `const created${depth} = new ${target.expression}();`,
          `value += Number(created${depth}.${random.pick(target.methods)}(value));`,
        ];
      }
      return [`value -= ${call()};`];
    case 4:
      return [
        `if (value > ${random.integer(1, 500)}) {`,
        ...block(),
        '} else {',
        `  value -= ${random.integer(1, 20)};`,
        '}',
      ];
    case 5:
      return [`for (let step = 0; step < ${random.integer(2, 12)}; step += 1) {`, ...block(), '}'];
    case 6:
      return [
        'switch (input.status) {',
        ...statuses
          .slice(0, random.integer(2, 4))
          .flatMap((status) => [`  case '${status}':`, `    value += ${call()};`, '    break;']),
        '  default:',
        '    value = 0;',
        '}',
      ];
    case 7:
      return ['try {', ...block(), '} catch (error) {', '  value = error instanceof Error ? -1 : 0;', '}'];
    default:
      return [`while (value > ${random.integer(1000, 9000)}) {`, '  value = Math.floor(value / 2);', '}'];
  }
}

function renderBody(
  random: SeededRandom,
  available: Available,
  own: Parameters<typeof renderStatement>[2],
): string[] {
  const lines = ['let value = Number(input.amount ?? 0);'];
  const statements = random.integer(1, 4);
  for (let count = 0; count < statements; count += 1)
    lines.push(...renderStatement(random, available, own, 0));
  lines.push('return value;');
  return lines;
}

function renderClass(
  random: SeededRandom,
  planned: PlannedClass,
  available: Available,
  inputType: string,
  helpers: string[],
): string[] {
  const fieldTargets = available.classes
    .filter((entry) => !entry.expression.includes('.'))
    .slice(0, random.integer(0, 2));
  const fields = fieldTargets.map((entry) => ({
    name: camel(entry.expression),
    methods: entry.methods,
    type: entry.expression,
  }));
  const lines = [`/**`, ` * ${random.pick(sentences)}`, ` */`];
  lines.push(`export class ${planned.name}${planned.base ? ` extends ${planned.base.name}` : ''} {`);
  for (const field of fields) lines.push(`  private readonly ${field.name}: ${field.type};`);
  if (fields.length > 0 || planned.base) {
    lines.push('', `  constructor(${fields.map((field) => `${field.name}?: ${field.type}`).join(', ')}) {`);
    if (planned.base) lines.push('    super();');
    for (const field of fields) lines.push(`    this.${field.name} = ${field.name} ?? new ${field.type}();`);
    lines.push('  }');
  }
  for (const method of planned.methods) {
    const own = { methods: planned.methods.filter((other) => other !== method), fields, helpers };
    lines.push('', `  /** ${random.pick(sentences)} */`);
    const asynchronous = random.chance(0.3);
    lines.push(
      `  ${asynchronous ? 'async ' : ''}${method}(input: ${inputType}, limit = ${random.integer(5, 100)}): ${asynchronous ? 'Promise<number>' : 'number'} {`,
    );
    lines.push('    if (limit <= 0) return 0;');
    lines.push(...renderBody(random, available, own).map((line) => `    ${line}`));
    lines.push('  }');
  }
  lines.push('}', '');
  return lines;
}

/**
 * Writes one planned file as TypeScript text: imports of what other planned files export, interfaces, classes
 * whose methods call imported functions, methods of typed fields, `new` of imported classes and each other,
 * then private helpers until the file reaches its planned length. Tests import their subject and call its
 * methods; barrels re-export their members.
 *
 * @example
 * const text = renderSyntheticModule(plan, plan.modules[0]!, createSeededRandom(1), barrelOf);
 */
export function renderSyntheticModule(
  plan: RepositoryPlan,
  module: PlannedModule,
  random: SeededRandom,
  barrelOf: Map<number, PlannedModule>,
): string {
  if (module.kind === 'barrel') {
    return `${module.imports
      .map((member) => plan.modules[member]!)
      .map((member, position) => {
        const specifier = specifierFor(module, member, 'relative');
        return position % 3 === 0
          ? `export * from '${specifier}';`
          : `export { ${member.classes.map((entry) => entry.name).join(', ')} } from '${specifier}';`;
      })
      .join('\n')}\n`;
  }
  if (module.kind === 'test') return renderSyntheticTest(plan, module, random);
  const { lines: importLines, available } = renderImports(plan, module, random, barrelOf);
  const lines = [`// ${module.domain}: ${random.pick(sentences)}`, ...importLines, ''];
  const types = [...module.interfaces];
  for (const name of module.interfaces) {
    lines.push(
      `/** ${random.pick(sentences)} */`,
      `export interface ${name} {`,
      '  amount: number;',
      `  status: '${statuses.join("' | '")}';`,
    );
    for (let field = 0; field < random.integer(1, 4); field += 1)
      lines.push(`  field${field}?: ${random.pick(['string', 'number', 'boolean', 'Date'])};`);
    lines.push('}', '');
  }
  const inputType = (): string => random.pick([...types, ...available.types]);
  const helpers = Array.from({ length: random.integer(1, 3) }, (_, position) => `helper${position}`);
  for (const planned of module.classes)
    lines.push(...renderClass(random, planned, available, inputType(), helpers));
  const body = (name: string, exported: boolean) => {
    const own = { methods: [], fields: [], helpers: helpers.filter((helper) => helper !== name) };
    return [
      `/** ${random.pick(sentences)} */`,
      `${exported ? 'export ' : ''}function ${name}(input: ${inputType()} | number): number {`,
      "  if (typeof input === 'number') input = { amount: input, status: 'open' };",
      ...renderBody(random, available, own).map((line) => `  ${line}`),
      '}',
      '',
    ];
  };
  for (const name of module.functions) lines.push(...body(name, true));
  for (const helper of helpers) lines.push(...body(helper, false));
  for (let extra = helpers.length; lines.length < module.targetLines; extra += 1) {
    lines.push(...body(`helper${extra}`, false));
  }
  return `${lines.join('\n')}\n`;
}
