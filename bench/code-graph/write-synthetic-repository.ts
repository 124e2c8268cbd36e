import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createSeededRandom } from './create-seeded-random.ts';
import {
  planSyntheticRepository,
  type PlannedModule,
  type RepositoryPlan,
} from './plan-synthetic-repository.ts';
import { renderSyntheticModule } from './render-synthetic-module.ts';

export interface SyntheticRepository {
  root: string;
  plan: RepositoryPlan;
  /** Source files written (tsconfig.json and package.json not counted). */
  files: number;
  lines: number;
}

/** Files written at once: enough to keep the disk busy without thousands of open handles. */
const writeConcurrency = 32;

/**
 * Writes a synthetic TypeScript repository of `files` source files under `root`: domains split into features
 * and layers, 100-250 lines per module, imports across folders (relative, `@app/*` tsconfig paths, domain
 * barrels, namespaces), classes with typed fields and inheritance, tests beside modules. The same seed writes
 * the same tree. Modification times are set an hour back, as in a checkout that was not just edited, so a
 * stat cache can trust them.
 *
 * @example
 * const repository = await writeSyntheticRepository({ root: '/tmp/synthetic', files: 10_000, seed: 1 });
 * repository.lines; // about 1.7 million
 */
export async function writeSyntheticRepository(options: {
  root: string;
  files: number;
  seed: number;
}): Promise<SyntheticRepository> {
  const plan = planSyntheticRepository({ files: options.files, seed: options.seed });
  const barrelOf = new Map<number, PlannedModule>();
  for (const module of plan.modules) {
    if (module.kind === 'barrel') for (const member of module.imports) barrelOf.set(member, module);
  }
  await writeFile(
    path.join(options.root, 'tsconfig.json'),
    `${JSON.stringify({ compilerOptions: { strict: true, baseUrl: '.', paths: { '@app/*': ['src/*'] } }, include: ['src'] }, null, 2)}\n`,
  );
  await writeFile(
    path.join(options.root, 'package.json'),
    `${JSON.stringify({ name: 'synthetic-shop', private: true, type: 'module' }, null, 2)}\n`,
  );
  const folders = new Set(plan.modules.map((module) => path.dirname(path.join(options.root, module.path))));
  for (const folder of folders) await mkdir(folder, { recursive: true });
  const past = new Date(Date.now() - 3_600_000);
  let lines = 0;
  let cursor = 0;
  const writer = async (): Promise<void> => {
    while (cursor < plan.modules.length) {
      const module = plan.modules[cursor]!;
      cursor += 1;
      // One generator per file, so a file's text does not depend on the order the writers reach it.
      const text = renderSyntheticModule(
        plan,
        module,
        createSeededRandom(options.seed * 1_000_003 + module.index),
        barrelOf,
      );
      lines += text.split('\n').length - 1;
      const file = path.join(options.root, module.path);
      await writeFile(file, text);
      await utimes(file, past, past);
    }
  };
  await Promise.all(Array.from({ length: writeConcurrency }, () => writer()));
  return { root: options.root, plan, files: plan.modules.length, lines };
}
