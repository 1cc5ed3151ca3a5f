package chatd.server.http;

import chatd.protocol.Json;
import chatd.server.core.ChatCore;
import chatd.server.core.ChatError;
import chatd.server.core.Client;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Attributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP adapter: every route registered explicitly, each wrapped once for error mapping and metrics.
 * No business rules live here; endpoints translate between JSON and {@link ChatCore}.
 */
public final class HttpApi {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** Longer than the longest long-poll (60 s), so Jetty never cuts a waiting poll. */
    private static final long IDLE_TIMEOUT_MS = 120_000;
    private static final long STOP_TIMEOUT_MS = 10_000;
    /** Request attribute: one of our routes handled the request (see the 404/405 handlers). */
    private static final String ROUTED = "chatd.routed";
    /** Connection attribute: the last bearer token seen on it and its client. */
    private static final String AUTHENTICATED = "chatd.authenticated";

    /** A group of routes contributed by another adapter (federation, admin). */
    public interface Module {
        void routes(HttpApi api);
    }

    private record Route(String method, String path, Handler handler) {}

    private final ChatCore core;
    private final HttpMetrics metrics;
    private final List<Route> routes = new ArrayList<>();
    private final List<DirectRoute> directRoutes = new ArrayList<>();
    private Javalin app;

    public HttpApi(ChatCore core, HttpMetrics metrics) {
        this.core = core;
        this.metrics = metrics;
    }

    public void get(String path, Handler handler) {
        routes.add(new Route("GET", path, wrap("GET", path, handler)));
    }

    public void post(String path, Handler handler) {
        routes.add(new Route("POST", path, wrap("POST", path, handler)));
    }

    public void delete(String path, Handler handler) {
        routes.add(new Route("DELETE", path, wrap("DELETE", path, handler)));
    }

    /** A route answered in front of Javalin, in the order added (see {@link DirectRoute}). */
    public void direct(DirectRoute route) {
        directRoutes.add(route);
    }

    public HttpMetrics metrics() {
        return metrics;
    }

    /** The client of the request's bearer token, or 401. */
    public Client client(Context ctx) {
        return client(ctx.header("Authorization"));
    }

    /**
     * The client of the bearer token, remembered on the connection: a keep-alive connection carries
     * the same token request after request, so its hash and lookup are done once.
     */
    Client client(String header, Attributes connection) {
        if (connection.getAttribute(AUTHENTICATED) instanceof Authenticated known && known.header().equals(header)
                && core.stillAuthenticated(known.client())) {
            return known.client();
        }
        Client client = client(header);
        connection.setAttribute(AUTHENTICATED, new Authenticated(header, client));
        return client;
    }

    private record Authenticated(String header, Client client) {}

    /** The client of an Authorization header's bearer token, or 401. */
    Client client(String header) {
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        Client client = token == null || token.isEmpty() ? null : core.authenticate(token);
        if (client == null) {
            throw new ChatError(ChatError.Kind.UNAUTHORIZED, token == null ? "missing bearer token" : "invalid or expired token");
        }
        return client;
    }

    public static void json(Context ctx, int status, Object body) {
        jsonBytes(ctx, status, Json.writeBytes(body));
    }

    /**
     * Writes serialised JSON straight to the (compressing) response stream: {@code ctx.result(bytes)}
     * wraps it in an InputStream that Javalin copies through a fresh buffer on every request. Error
     * statuses keep {@code result}, because Javalin's error handlers replace a result but would append
     * to bytes already written.
     */
    static void jsonBytes(Context ctx, int status, byte[] body) {
        ctx.status(status).contentType("application/json");
        if (status >= 400) {
            ctx.result(body);
            return;
        }
        try {
            ctx.outputStream().write(body);
        } catch (java.io.IOException e) {
            LOG.debug("{} {}: client went away while answering: {}", ctx.method(), ctx.path(), e.toString());
        }
    }

    /** Starts listening; answers the bound port. */
    public int start(String host, int port) {
        app = Javalin.create(config -> configure(config, host, port));
        app.start();
        return ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
    }

    /** Stops accepting, lets in-flight requests finish (long-polls are woken by the caller first). */
    public void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private void configure(JavalinConfig config, String host, int port) {
        config.concurrency.useVirtualThreads = true;
        config.startup.showJavalinBanner = false;
        config.http.prefer405over404 = true;
        config.jetty.modifyServer(server -> {
            // Requests in flight at shutdown (long-polls woken by the caller) finish before connections close.
            // Direct routes and the web client's files answer in front of Javalin, which attaches its servlet
            // context innermost.
            GracefulHandler graceful = new GracefulHandler();
            org.eclipse.jetty.server.Handler.Wrapper outer = graceful;
            for (DirectRoute route : directRoutes) {
                outer.setHandler(route);
                outer = route;
            }
            outer.setHandler(new WebFiles());
            server.setHandler(graceful);
            server.setErrorHandler(new JsonErrorHandler());
            server.setStopTimeout(STOP_TIMEOUT_MS);
        });
        config.jetty.addConnector((server, httpConfig) -> {
            httpConfig.setSendServerVersion(false);
            // Jetty's per-connection header cache (an ArrayTrie built on a connection's second request)
            // retains ~87 KiB per keep-alive connection; long-poll clients are thousands of those.
            // The static cache of well-known headers still applies.
            httpConfig.setHeaderCacheSize(0);
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
            connector.setHost(host);
            connector.setPort(port);
            connector.setAcceptQueueSize(4096);
            connector.setIdleTimeout(IDLE_TIMEOUT_MS);
            return connector;
        });
        for (Route r : routes) {
            switch (r.method()) {
                case "GET" -> config.routes.get(r.path(), r.handler());
                case "POST" -> config.routes.post(r.path(), r.handler());
                case "DELETE" -> config.routes.delete(r.path(), r.handler());
                default -> throw new IllegalArgumentException(r.method());
            }
        }
        // Javalin runs these for every 404/405, also one a route answered itself (no such channel): only
        // requests that matched no route get the generic answer.
        config.routes.error(404, "*", ctx -> {
            if (ctx.attribute(ROUTED) == null) {
                error(ctx, 404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
        config.routes.error(405, "*", ctx -> {
            if (ctx.attribute(ROUTED) == null) {
                error(ctx, 405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path());
            }
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal", "internal error");
        });
    }

    private static void error(Context ctx, int status, String code, String message) {
        ctx.status(status).contentType("application/json").result(ApiErrors.body(code, message));
    }

    private Handler wrap(String method, String path, Handler handler) {
        return ctx -> {
            ctx.attribute(ROUTED, Boolean.TRUE);
            long start = System.nanoTime();
            try {
                handler.handle(ctx);
            } catch (ChatError e) {
                LOG.info("{} {} from {} refused ({}): {}", method, ctx.path(), ctx.ip(), ApiErrors.status(e.kind()), e.getMessage());
                ApiErrors.write(ctx, e);
            } finally {
                metrics.record(method, path, ctx.status().getCode(), System.nanoTime() - start);
            }
        };
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw ApiErrors.invalid(message);
        }
    }

}
