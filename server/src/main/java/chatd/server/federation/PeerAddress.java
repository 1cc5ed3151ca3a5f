package chatd.server.federation;

import java.net.URI;
import java.util.Locale;

/** Where a peer's HTTP requests go: scheme, host and port (one pool of connections each), and the Host header. */
record PeerAddress(boolean tls, String host, int port, String hostHeader) {

    /** A URL split into the peer's address and the request's path (with its query). */
    record Target(PeerAddress address, String path) {}

    /** Parses an absolute http or https URL; IllegalArgumentException when it is not one. */
    static Target parse(String url) {
        URI uri = URI.create(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + url);
        }
        boolean tls = scheme.equals("https");
        int defaultPort = tls ? 443 : 80;
        int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        String host = uri.getHost();
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        String hostHeader = port == defaultPort ? host : host + ":" + port;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        return new Target(new PeerAddress(tls, bare, port, hostHeader), path);
    }
}
