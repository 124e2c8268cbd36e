package com.acme.billing;

/** What a customer owes. */
public class Invoice extends Document {
    public int total() {
        return 1;
    }

    public void print() {
        stamp();
        total();
    }
}
