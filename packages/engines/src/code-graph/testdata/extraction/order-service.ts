import type { Q } from "./q";
import D, * as ns from "./d";
import { a as b, type C } from "x";

/**
 * Places orders.
 * @example x
 */
@Controller("/orders")
export class OrderService<T> extends Base.Service<T> implements Api, Gen<T> {
  private readonly repo: OrderRepository = new OrderRepository();
  constructor(private db: Db) { super(); }
  /** Place one. */
  @Get()
  async place(order: Order): Promise<Receipt> {
    if (order.total > 0 && order.ok) { return this.repo.save(order); }
    const rows = await this.db.query(`SELECT * FROM orders o JOIN customers c ON c.id = o.cid`);
    return rows.length ? fmt(rows) : null;
  }
}
export const handler = async (req: Request): Promise<Response> => { return new Response(req.body ?? ""); };
function helper() { for (const x of []) {} }
export { helper };
const z = require("z"); export * from "./w"; export { k as kk } from "./k";
