package chatd.bench;

import picocli.CommandLine.Command;

@Command(name = "restart", mixinStandardHelpOptions = true, description = "todo")
final class RestartScenario extends Scenario {
    @Override
    Report run() throws Exception {
        throw new Unavailable("restart: not written yet");
    }
}
