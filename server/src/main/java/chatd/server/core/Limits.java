package chatd.server.core;

import java.time.Duration;

/** The core's tunables (from the server configuration). */
public record Limits(String motd, int queueMax, int maxHistory, Duration sessionIdleTimeout, int maxChannelsPerUser) {}
