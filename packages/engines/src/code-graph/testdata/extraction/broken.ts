export function fine(a: number): number {
  return a + 1;
}

export function broken(a: number {
  return a +;
}

export class StillFound {
  method(): void {}
}
