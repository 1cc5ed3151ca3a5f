package chatd.server.irc;

/**
 * The gateway's connection classes and who is in which: a connection from an exempt address is
 * {@code exempt} from the start; any other is unregistered until registration tells an anonymous
 * session ({@code anonymous}) from a logged-in account ({@code account}, or {@code exempt} for an
 * exempt account name).
 */
public record ConnectionClasses(ConnectionClass anonymous, ConnectionClass account, ConnectionClass exempt,
        ExemptGrants grants) {
    /** Today's limits for everyone who is not exempt; exempt connections are not fakelagged. */
    public static final ConnectionClasses DEFAULTS = new ConnectionClasses(
            ConnectionClass.parse("anonymous", "20/4/10"), ConnectionClass.parse("account", "20/4/10"),
            ConnectionClass.parse("exempt", "none/none/1000"), ExemptGrants.NONE);

    /** The class of a new connection from this address, or null while registration has yet to decide. */
    ConnectionClass atAccept(String address) {
        return grants.coversAddress(address) ? exempt : null;
    }

    /** The class of a connection that registered, with an account or ({@code account} null) anonymously. */
    ConnectionClass registered(String address, String account) {
        if (grants.coversAddress(address) || grants.coversAccount(account)) {
            return exempt;
        }
        return account == null ? anonymous : this.account;
    }

    /** The class whose limits apply before registration (its lines count as an anonymous client's). */
    ConnectionClass unregistered() {
        return anonymous;
    }

    /**
     * How many connections that are not exempt one address may hold: before registration nobody knows which
     * of the two classes they will be in, so the larger of the two limits.
     */
    int unregisteredCeiling() {
        return Math.max(anonymous.perAddress(), account.perAddress());
    }
}
