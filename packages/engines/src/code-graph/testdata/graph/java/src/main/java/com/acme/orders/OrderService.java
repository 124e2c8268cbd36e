package com.acme.orders;

import com.acme.billing.*;
import java.util.List;

public class OrderService {
    public Invoice bill(Invoice invoice) {
        invoice.print();
        return invoice;
    }

    public List<Invoice> billAll(List<Invoice> invoices) {
        return invoices;
    }
}
