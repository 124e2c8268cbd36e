/** Persists orders. */
export class OrderRepository {
  save(id: string): string {
    return id;
  }
}
