package chatd.bench;

import picocli.CommandLine.Command;

@Command(name = "logins", mixinStandardHelpOptions = true, description = "todo")
final class LoginsScenario extends Scenario {
    @Override
    Report run() throws Exception {
        throw new Unavailable("logins: not written yet");
    }
}
