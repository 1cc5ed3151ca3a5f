package chatd.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * IRC clients on alpha talking to IRC clients on beta through a federation link: 10 senders, 10
 * receivers, one channel; open loop at a rate, or closed loop with --inflight.
 */
@Command(name = "irc-relay", mixinStandardHelpOptions = true,
        description = "two linked servers, IRC senders on alpha, IRC receivers on beta, one channel")
final class IrcRelayScenario extends IrcScenario {
    @Option(names = "--receivers", description = "IRC clients receiving on beta (default ${DEFAULT-VALUE})")
    int receivers = 10;

    @Option(names = "--inflight", description = "closed loop: messages each sender keeps in flight, each freed when its "
            + "paired receiver (sender number modulo receivers) got it; --rate is then unused (default 0: open loop)")
    int inflight;

    @Override
    int receiversOnAlpha() {
        return 0;
    }

    @Override
    int receiversOnBeta() {
        return receivers;
    }

    @Override
    int inflight() {
        return inflight;
    }

    /** Issue 21: 2,000 msgs/s with p50 ≤ 3 ms and p99 ≤ 15 ms; 20,000 msgs/s with p99 ≤ 100 ms (and 0 loss, checked always). */
    @Override
    void latencyTargets(Report report, double offered, Histogram latency) {
        if (offered >= 20_000) {
            report.target(within(latency, 99, 100_000), "p99 ≤ 100 ms at 20,000 msgs/s");
        } else if (offered >= 2_000) {
            report.target(within(latency, 50, 3_000) && within(latency, 99, 15_000), "p50 ≤ 3 ms and p99 ≤ 15 ms at 2,000 msgs/s");
        }
    }
}
