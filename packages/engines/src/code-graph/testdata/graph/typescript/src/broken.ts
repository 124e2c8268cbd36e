export function broken(: string {
  return helper(
}
export function helper(): number {
  return 1;
}
