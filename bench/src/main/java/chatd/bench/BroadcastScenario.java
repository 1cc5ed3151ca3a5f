package chatd.bench;

import picocli.CommandLine.Command;

@Command(name = "broadcast", mixinStandardHelpOptions = true, description = "todo")
final class BroadcastScenario extends Scenario {
    @Override
    Report run() throws Exception {
        throw new Unavailable("broadcast: not written yet");
    }
}
