package chatd.server.http;

import chatd.server.core.ChatState;
import chatd.server.core.Session;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/** Prometheus metrics: requests by route and status with latency, and the sizes of the live state. */
public final class HttpMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Looking a timer up through the registry builds tags and ids on every request; this map does not. */
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    private record TimerKey(String method, String route, int status) {}

    public HttpMetrics(ChatState state, IntSupplier journalBacklog, IntSupplier pollsInProgress) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        Gauge.builder("chatd_sessions", state, s -> s.sessions().size()).description("live sessions").strongReference(true).register(registry);
        Gauge.builder("chatd_clients", state, ChatState::clientCount).description("live clients (devices)").strongReference(true).register(registry);
        Gauge.builder("chatd_queue_depth", state, HttpMetrics::queueDepth)
                .description("entries waiting in all inboxes").strongReference(true).register(registry);
        Gauge.builder("chatd_journal_backlog", journalBacklog, IntSupplier::getAsInt)
                .description("batches waiting for the group commit").strongReference(true).register(registry);
        Gauge.builder("chatd_polls_in_progress", pollsInProgress, IntSupplier::getAsInt)
                .description("long-polls being answered or waiting").strongReference(true).register(registry);
    }

    /** A gauge read at every scrape (metrics of other adapters: the store, federation). */
    public void gauge(String name, String description, java.util.function.DoubleSupplier value) {
        Gauge.builder(name, value, java.util.function.DoubleSupplier::getAsDouble).description(description).strongReference(true)
                .register(registry);
    }

    void record(String method, String route, int status, long nanos) {
        timers.computeIfAbsent(new TimerKey(method, route, status), k -> Timer.builder("chatd_http_requests")
                        .tag("method", k.method())
                        .tag("route", k.route())
                        .tag("status", Integer.toString(k.status()))
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    String scrape() {
        return registry.scrape();
    }

    private static double queueDepth(ChatState state) {
        long total = 0;
        for (Session s : state.sessions()) {
            total += s.inbox().size();
        }
        return total;
    }
}
