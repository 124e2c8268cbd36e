import { writeFileSync } from 'node:fs';

/** Writes a marker file next to this module: the sandbox must stop it. */
export function scribble(name: string): string {
  writeFileSync(new URL(`./scribble-${name.length}.txt`, import.meta.url), 'escaped');
  return name;
}

/** Recurses without end. */
export function recurse(depth: number): number {
  return recurse(depth + 1) + 1;
}

/** Allocates until something gives. */
export function hoard(count: number): number {
  const kept: number[][] = [];
  for (;;) kept.push(new Array<number>(1_000_000).fill(count));
}
