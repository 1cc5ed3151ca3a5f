package chatd.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** One channel of 1,000 IRC clients, half on alpha and half on beta, senders on alpha at a fixed rate. */
@Command(name = "irc-fanout", mixinStandardHelpOptions = true,
        description = "two linked servers, IRC receivers split over both, IRC senders on alpha, one channel")
final class IrcFanoutScenario extends IrcScenario {
    @Option(names = "--receivers", description = "IRC clients receiving, half on alpha and half on beta (default ${DEFAULT-VALUE})")
    int receivers = 1000;

    @Override
    int receiversOnAlpha() {
        return receivers / 2;
    }

    @Override
    int receiversOnBeta() {
        return receivers - receivers / 2;
    }

    /** Issue 21: fan-out to 1,000 with p99 ≤ 30 ms. */
    @Override
    void latencyTargets(Report report, double offered, Histogram latency) {
        report.target(within(latency, 99, 30_000), "p99 ≤ 30 ms over all receivers");
    }
}
