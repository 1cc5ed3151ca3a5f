package chatd.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of bin/bench: one subcommand per scenario (issues 6 and 21). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Load generator for chatd: starts a server (or uses --url), runs one scenario, prints its table.",
        subcommands = {CeilingScenario.class, IngestScenario.class, FanoutScenario.class, BroadcastScenario.class,
                IdleScenario.class, LoginsScenario.class, FederationScenario.class, RestartScenario.class,
                IrcRelayScenario.class, IrcFanoutScenario.class, FaultScenario.class, VerifyTiming.class})
public final class BenchMain implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
        System.exit(2);
    }
}
