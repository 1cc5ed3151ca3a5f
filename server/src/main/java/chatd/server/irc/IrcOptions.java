package chatd.server.irc;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The gateway's tunables. The ports and the TLS certificate come from the server configuration
 * (IRC_PORT, IRC_TLS_PORT, IRC_TLS_KEYSTORE, IRC_TLS_PASSWORD); the rest are fixed defaults that
 * tests may shrink by building the listener themselves.
 *
 * @param port                 plain-text port (0 = any free port), or null for none
 * @param tlsPort              TLS port, or null for none
 * @param tlsKeystore          PKCS#12 file with the server certificate and key (needed with a TLS port)
 * @param tlsPassword          its password
 * @param registrationTimeout  a connection that has not registered by then is closed
 * @param pingInterval         a silent connection gets a PING after this long, and is closed after twice
 * @param maxConnectionsPerIp  concurrent connections from one address
 * @param floodBurst           lines a client may send back to back before fakelag applies
 * @param floodLinesPerSecond  sustained rate after the burst
 */
public record IrcOptions(String bind, Integer port, Integer tlsPort, Path tlsKeystore, String tlsPassword,
        Duration registrationTimeout, Duration pingInterval, int maxConnectionsPerIp, int floodBurst,
        double floodLinesPerSecond) {

    public static IrcOptions defaults(String bind, Integer port, Integer tlsPort, Path tlsKeystore, String tlsPassword) {
        return new IrcOptions(bind, port, tlsPort, tlsKeystore, tlsPassword, Duration.ofSeconds(60),
                Duration.ofSeconds(90), 10, 20, 4);
    }

    public IrcOptions withPort(Integer newPort) {
        return new IrcOptions(bind, newPort, tlsPort, tlsKeystore, tlsPassword, registrationTimeout, pingInterval,
                maxConnectionsPerIp, floodBurst, floodLinesPerSecond);
    }

    public IrcOptions withTimeouts(Duration registration, Duration ping) {
        return new IrcOptions(bind, port, tlsPort, tlsKeystore, tlsPassword, registration, ping, maxConnectionsPerIp,
                floodBurst, floodLinesPerSecond);
    }

    public IrcOptions withLimits(int perIp, int burst, double linesPerSecond) {
        return new IrcOptions(bind, port, tlsPort, tlsKeystore, tlsPassword, registrationTimeout, pingInterval, perIp,
                burst, linesPerSecond);
    }
}
