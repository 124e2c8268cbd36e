throw new Error('this module cannot be loaded');
export function unreachable(): number {
  return 1;
}
