package org.jodb;

import java.util.ArrayList;
import java.util.List;

/** A plain user class for tests: private fields, a plain list changed through methods. */
public class Account {
    private String owner;
    private long balance;
    private final List<String> history = new ArrayList<>();
    private Account partner;

    public Account(String owner, long balance) {
        this.owner = owner;
        this.balance = balance;
    }

    protected Account() {
    }

    public String owner() {
        return owner;
    }

    public long balance() {
        return balance;
    }

    public void deposit(long amount) {
        balance += amount;
        history.add("deposit " + amount);
    }

    public List<String> history() {
        return history;
    }

    public Account partner() {
        return partner;
    }

    public void setPartner(Account partner) {
        this.partner = partner;
    }

    @Override
    public String toString() {
        return owner + ":" + balance;
    }
}
