package com.acme.billing;

/** A printable business document. */
public class Document {
    protected void stamp() {
        System.out.println("stamped");
    }
}
