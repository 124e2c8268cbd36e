import { OrderRepository } from '@shop/db/order-repository';
import { BaseService } from '../base-service';

/** Places orders and records them. */
export class OrderService extends BaseService {
  constructor(private readonly repository: OrderRepository) {
    super();
  }

  place(id: string): string {
    this.audit('place');
    return this.repository.save(id);
  }
}
