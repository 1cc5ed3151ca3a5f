package chatd.bench;

import picocli.CommandLine.Command;

@Command(name = "idle", mixinStandardHelpOptions = true, description = "todo")
final class IdleScenario extends Scenario {
    @Override
    Report run() throws Exception {
        throw new Unavailable("idle: not written yet");
    }
}
