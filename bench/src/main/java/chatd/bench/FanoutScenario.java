package chatd.bench;

import picocli.CommandLine.Command;

@Command(name = "fanout", mixinStandardHelpOptions = true, description = "todo")
final class FanoutScenario extends Scenario {
    @Override
    Report run() throws Exception {
        throw new Unavailable("fanout: not written yet");
    }
}
