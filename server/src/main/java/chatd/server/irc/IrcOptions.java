package chatd.server.irc;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The gateway's tunables. The ports, the TLS certificate and the connection classes come from the server
 * configuration (IRC_PORT, IRC_TLS_PORT, IRC_TLS_KEYSTORE, IRC_TLS_PASSWORD, IRC_CLASS_*, IRC_EXEMPT);
 * the timeouts are fixed defaults that tests may shrink by building the listener themselves.
 *
 * @param port                 plain-text port (0 = any free port), or null for none
 * @param tlsPort              TLS port, or null for none
 * @param tlsKeystore          PKCS#12 file with the server certificate and key (needed with a TLS port)
 * @param tlsPassword          its password
 * @param registrationTimeout  a connection that has not registered by then is closed
 * @param pingInterval         a silent connection gets a PING after this long, and is closed after twice
 * @param classes              flood control and connections per address, by connection class
 */
public record IrcOptions(String bind, Integer port, Integer tlsPort, Path tlsKeystore, String tlsPassword,
        Duration registrationTimeout, Duration pingInterval, ConnectionClasses classes) {

    public static IrcOptions defaults(String bind, Integer port, Integer tlsPort, Path tlsKeystore, String tlsPassword) {
        return new IrcOptions(bind, port, tlsPort, tlsKeystore, tlsPassword, Duration.ofSeconds(60),
                Duration.ofSeconds(90), ConnectionClasses.DEFAULTS);
    }

    public IrcOptions withPort(Integer newPort) {
        return new IrcOptions(bind, newPort, tlsPort, tlsKeystore, tlsPassword, registrationTimeout, pingInterval, classes);
    }

    public IrcOptions withTimeouts(Duration registration, Duration ping) {
        return new IrcOptions(bind, port, tlsPort, tlsKeystore, tlsPassword, registration, ping, classes);
    }

    public IrcOptions withClasses(ConnectionClasses newClasses) {
        return new IrcOptions(bind, port, tlsPort, tlsKeystore, tlsPassword, registrationTimeout, pingInterval, newClasses);
    }
}
