package com.acme.orders;

import com.acme.billing.Invoice;
import static com.acme.util.Strings.isBlank;
import java.util.*;

/**
 * Places orders.
 */
@Service
public class OrderService extends BaseService<Order> implements Api, com.acme.Auditable {
    private final OrderRepository repo = new OrderRepository();
    int count;

    public OrderService(OrderRepository repo) { this.repo = repo; }

    /** Place one. */
    @GetMapping("/orders")
    public Receipt place(Order order) throws IOException {
        if (order.total() > 0 && order.isOk()) {
            return repo.save(new Receipt(order));
        }
        String sql = "UPDATE orders SET status = 'x' WHERE id = ?";
        for (Item item : order.items()) { validate(item); }
        return order.total() > 10 ? null : Invoice.of(order);
    }
}

interface Api { Receipt place(Order order); }
