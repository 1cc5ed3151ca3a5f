package chatd.bench;

import picocli.CommandLine.Command;

@Command(name = "federation", mixinStandardHelpOptions = true, description = "todo")
final class FederationScenario extends Scenario {
    @Override
    Report run() throws Exception {
        throw new Unavailable("federation: not written yet");
    }
}
