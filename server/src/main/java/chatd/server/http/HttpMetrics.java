package chatd.server.http;

import chatd.server.core.ChatState;
import chatd.server.core.Session;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** Prometheus metrics: requests by route and status with latency, and the sizes of the live state. */
public final class HttpMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Looking a timer up through the registry builds tags and ids on every request; this map does not. */
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    private record TimerKey(String method, String route, int status) {}

    /** A timer's reading: how many, their total time, and the longest of the last minutes. */
    public record Served(long count, double totalMillis, double maxMillis) {}

    /** Counted on every poll answer: a LongAdder read at scrape time costs less than a registered Counter's DoubleAdder. */
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Timer pushLatency;
    private final List<Object> counterSources = new java.util.concurrent.CopyOnWriteArrayList<>();

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
        FunctionCounter.builder("chatd_deliveries", deliveries, LongAdder::sum)
                .description("queue entries handed to clients in poll answers").register(registry);
        FunctionCounter.builder("chatd_dropped_entries", dropped, LongAdder::sum)
                .description("queue entries pushed out of a full queue (QUEUE_MAX), as reported to clients").register(registry);
        pushLatency = Timer.builder("chatd_delivery_latency")
                .description("age of the newest entry when a waiting long-poll is answered: command accepted -> answer written")
                .register(registry);
    }

    /** A parked poll was answered with an entry stamped {@code ageMillis} ago (-1: unstamped, not counted). */
    void pushed(long ageMillis) {
        if (ageMillis >= 0) {
            pushLatency.record(ageMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Answers to parked polls so far: how many, their total and recent longest latency. */
    Served pushes() {
        return new Served(pushLatency.count(), pushLatency.totalTime(TimeUnit.MILLISECONDS), pushLatency.max(TimeUnit.MILLISECONDS));
    }

    /** A poll answer carried {@code entries}, and reported {@code droppedEntries} lost to a full queue. */
    void delivered(int entries, long droppedEntries) {
        deliveries.add(entries);
        if (droppedEntries > 0) {
            dropped.add(droppedEntries);
        }
    }

    long deliveries() {
        return deliveries.sum();
    }

    long dropped() {
        return dropped.sum();
    }

    /** The successful requests of a route so far (across statuses below 400). */
    Served served(String method, String route) {
        long count = 0;
        double total = 0;
        double max = 0;
        for (Map.Entry<TimerKey, Timer> e : timers.entrySet()) {
            TimerKey k = e.getKey();
            if (k.status() < 400 && k.method().equals(method) && k.route().equals(route)) {
                count += e.getValue().count();
                total += e.getValue().totalTime(TimeUnit.MILLISECONDS);
                max = Math.max(max, e.getValue().max(TimeUnit.MILLISECONDS));
            }
        }
        return new Served(count, total, max);
    }

    /** A gauge read at every scrape (metrics of other adapters: the store, federation). */
    public void gauge(String name, String description, java.util.function.DoubleSupplier value) {
        Gauge.builder(name, value, java.util.function.DoubleSupplier::getAsDouble).description(description).strongReference(true)
                .register(registry);
    }

    /** A counter read at scrape time from a running total the server keeps anyway. */
    public void counter(String name, String description, java.util.function.DoubleSupplier total) {
        counterSources.add(total); // a FunctionCounter holds its source weakly: a lambda would be collected
        FunctionCounter.builder(name, total, java.util.function.DoubleSupplier::getAsDouble).description(description).register(registry);
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
