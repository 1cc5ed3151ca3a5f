package chatd.server.core;

/** A registered nick with its password hash (a slow, salted hash; never the password). */
public record Account(long id, String nick, String passwordHash) {}
