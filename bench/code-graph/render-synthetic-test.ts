import type { SeededRandom } from './create-seeded-random.ts';
import { statuses, type PlannedModule, type RepositoryPlan } from './plan-synthetic-repository.ts';
import { specifierFor } from './specifier-for.ts';

/**
 * A vitest file for its subject (the first planned import): one `describe` per class with a case per method,
 * a case per exported function, repeated with other inputs until the planned length.
 *
 * @example
 * const text = renderSyntheticTest(plan, plan.modules[1900]!, createSeededRandom(7));
 */
export function renderSyntheticTest(
  plan: RepositoryPlan,
  module: PlannedModule,
  random: SeededRandom,
): string {
  const subject = plan.modules[module.imports[0]!]!;
  const names = [...subject.classes.map((entry) => entry.name), ...subject.functions];
  const lines = [
    "import { describe, expect, it } from 'vitest';",
    `import { ${names.join(', ')} } from '${specifierFor(module, subject, 'relative')}';`,
    '',
  ];
  for (let round = 0; lines.length < module.targetLines; round += 1) {
    for (const planned of subject.classes) {
      lines.push(`describe('${planned.name} (${round + 1})', () => {`);
      for (const method of planned.methods) {
        const amount = random.integer(0, 1000);
        lines.push(
          `  it('${method} handles an amount of ${amount}', async () => {`,
          `    const subject = new ${planned.name}();`,
          `    const result = await subject.${method}({ amount: ${amount}, status: '${random.pick(statuses)}' });`,
          "    expect(typeof result).toBe('number');",
          '  });',
          '',
        );
      }
      lines.push('});', '');
    }
    for (const name of subject.functions) {
      lines.push(
        `it('${name} is finite (${round + 1})', () => {`,
        `  expect(Number.isFinite(${name}(${random.integer(0, 99)}))).toBe(true);`,
        '});',
        '',
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
