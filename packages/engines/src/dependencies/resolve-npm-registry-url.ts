import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ResolveNpmRegistryUrlOptions {
  /** Environment to read `npm_config_registry` from; pass `process.env` explicitly (engines read no globals). */
  environment?: Record<string, string | undefined> | undefined;
  /** Project directory whose `.npmrc` is read first. */
  projectRoot?: string | undefined;
  /** Home directory for the user `.npmrc` (default `os.homedir()`). */
  homeDirectory?: string | undefined;
}

/**
 * The registry URL npm itself would use, in npm's order: `npm_config_registry`, the project `.npmrc`, the user
 * `.npmrc`, then `https://registry.npmjs.org/`. Always ends with `/`.
 *
 * @example resolveNpmRegistryUrl({ environment: { npm_config_registry: 'http://localhost:4873' } }) // => 'http://localhost:4873/'
 */
export function resolveNpmRegistryUrl(options: ResolveNpmRegistryUrlOptions = {}): string {
  const fromEnvironment =
    options.environment?.npm_config_registry ?? options.environment?.NPM_CONFIG_REGISTRY;
  const candidates = [
    fromEnvironment,
    options.projectRoot ? readRegistry(path.join(options.projectRoot, '.npmrc')) : undefined,
    readRegistry(path.join(options.homeDirectory ?? os.homedir(), '.npmrc')),
  ];
  const found = candidates.find((value) => value !== undefined && value.trim() !== '');
  const url = found?.trim() ?? 'https://registry.npmjs.org/';
  return url.endsWith('/') ? url : `${url}/`;
}

function readRegistry(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split(/\r?\n/)) {
    // Only the unscoped `registry=`; `@scope:registry=` lines configure other registries.
    const match = /^\s*registry\s*=\s*(.+?)\s*$/.exec(line);
    if (match?.[1]) return match[1].replace(/^["']|["']$/g, '');
  }
  return undefined;
}
