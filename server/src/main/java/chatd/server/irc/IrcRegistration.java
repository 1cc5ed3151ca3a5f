package chatd.server.irc;

import chatd.protocol.Numeric;
import chatd.server.core.Account;
import chatd.server.core.ChatCore;
import chatd.server.core.ChatError;

/**
 * Registration: PASS, NICK and USER (after CAP END and SASL, when those were started) make either an
 * anonymous session or a device of an account (SPEC §10), then hand the client to the connection.
 * Reader thread only.
 */
final class IrcRegistration {
    private final IrcConnection connection;
    private final IrcListener listener;
    private final ChatCore core;
    private final IrcReplies replies;
    private final CapNegotiation caps;
    private final SaslLogin sasl;
    private String pendingNick;
    private String userName;
    private String realName;
    private String pass;

    IrcRegistration(IrcConnection connection, IrcListener listener, ChatCore core, IrcReplies replies, CapNegotiation caps,
            SaslLogin sasl) {
        this.connection = connection;
        this.listener = listener;
        this.core = core;
        this.replies = replies;
        this.caps = caps;
        this.sasl = sasl;
    }

    String userName() {
        return userName;
    }

    String realName() {
        return realName;
    }

    void pass(IrcLine line) {
        if (registered()) {
            replies.numeric(Numeric.ERR_ALREADYREGISTERED, "You may not reregister");
        } else if (line.params().isEmpty()) {
            replies.numeric(Numeric.ERR_NEEDMOREPARAMS, "Not enough parameters", "PASS");
        } else {
            pass = line.param(0);
        }
    }

    /** NICK before registration (afterwards it is a core command). */
    void nick(IrcLine line) {
        if (line.params().isEmpty() || line.param(0).isEmpty()) {
            replies.numeric(Numeric.ERR_NONICKNAMEGIVEN, "No nickname given");
        } else {
            pendingNick = line.param(0);
            tryRegister();
        }
    }

    void user(IrcLine line) {
        if (registered()) {
            replies.numeric(Numeric.ERR_ALREADYREGISTERED, "You may not reregister");
        } else if (line.params().size() < 4 || line.param(0).isEmpty() || line.param(3).isEmpty()) {
            replies.numeric(Numeric.ERR_NEEDMOREPARAMS, "Not enough parameters", "USER");
        } else {
            userName = line.param(0);
            realName = line.param(3);
            tryRegister();
        }
    }

    void tryRegister() {
        if (registered() || pendingNick == null || userName == null || caps.negotiating() || sasl.inProgress()) {
            return;
        }
        if (sasl.account() != null) {
            attach(sasl.account(), sasl.login().device());
        } else if (pass != null) {
            long wait = listener.loginWait(connection.address());
            if (wait > 0) {
                replies.numeric(Numeric.ERR_PASSWDMISMATCH, "Too many login attempts, retry in " + wait + " s");
                replies.fail("Too many login attempts");
                return;
            }
            IrcCredentials login = IrcCredentials.fromPass(pass, userName, pendingNick);
            Account account = login == null ? null : listener.verify(login);
            if (account == null) {
                replies.numeric(Numeric.ERR_PASSWDMISMATCH, "Password incorrect");
                replies.fail("Bad password");
                return;
            }
            attach(account, login.device());
        } else {
            anonymous();
        }
    }

    /** Into the class of this account (null: anonymous), or ERROR when that class is full for the address. */
    private boolean enterClass(Account account) {
        ConnectionClass cls = listener.classFor(connection.address(), account);
        if (connection.joinClass(cls)) {
            return true;
        }
        replies.fail("Too many connections from " + connection.address() + " in class " + cls.name());
        return false;
    }

    private boolean registered() {
        return connection.client() != null;
    }

    private void anonymous() {
        String nick = pendingNick;
        ConnectionClass before = connection.connectionClass();
        if (!enterClass(null)) {
            return;
        }
        ChatCore.Issued issued;
        try {
            issued = listener.createSession(nick);
        } catch (ChatError e) {
            connection.joinClass(before); // still unregistered: it may try another nick
            if (e.numeric() == Numeric.ERR_NICKNAMEINUSE) {
                replies.numeric(Numeric.ERR_NICKNAMEINUSE, "Nickname is already in use", nick);
            } else if (e.numeric() == Numeric.ERR_ERRONEUSNICKNAME) {
                replies.numeric(Numeric.ERR_ERRONEUSNICKNAME, "Erroneous nickname", nick);
            } else {
                replies.fail(e.getMessage());
                return;
            }
            pendingNick = null;
            return;
        }
        connection.start(new ChatCore.Attached(issued.client(), issued.client().ackedSeq(), issued.client().ackedSeq()), false);
    }

    private void attach(Account account, String device) {
        if (!enterClass(account)) {
            return;
        }
        ChatCore.Attached attached;
        try {
            attached = core.attachDevice(account, device);
        } catch (ChatError e) {
            replies.fail(e.getMessage());
            return;
        }
        connection.start(attached, true);
    }
}
