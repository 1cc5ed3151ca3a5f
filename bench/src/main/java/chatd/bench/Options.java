package chatd.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every scenario shares: which server, which database, how to start and profile it. */
final class Options {
    @Option(names = "--url", description = "benchmark an already running chatd at this URL instead of starting one")
    String url;

    @Option(names = "--server-pid", description = "with --url: the server's pid, for RSS and heap readings")
    long serverPid = -1;

    @Option(names = "--db", description = "sqlite (default) or postgres")
    String db = "sqlite";

    @Option(names = "--pg-url", description = "with --db postgres: JDBC URL of a database the tool may create scratch databases from, "
            + "e.g. jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres")
    String pgUrl;

    @Option(names = "--server-jar", description = "the chatd server jar (default: server/target/chatd-server.jar)")
    Path serverJar;

    @Option(names = "--server-opt", description = "extra JVM option for the server (repeatable), e.g. --server-opt=-Xmx1g")
    List<String> serverOpts = new ArrayList<>();

    @Option(names = "--server-env", description = "extra environment for the server, KEY=VALUE (repeatable)")
    List<String> serverEnv = new ArrayList<>();

    @Option(names = "--jfr", description = "record the server with JFR (settings=profile) into this file; %%s = server name")
    String jfr;

    @Option(names = "--queue-max", description = "QUEUE_MAX of the started server (default ${DEFAULT-VALUE})")
    int queueMax = 10_000;

    @Option(names = "--keep", description = "keep the temp directory (logs, SQLite file) and scratch databases")
    boolean keep;

    @Option(names = "--strict", description = "also exit non-zero (3) when a target is missed")
    boolean strict;

    Path serverJar() {
        if (serverJar != null) {
            return serverJar.toAbsolutePath();
        }
        String home = System.getenv().getOrDefault("CHATD_HOME", ".");
        return Path.of(home, "server", "target", "chatd-server.jar").toAbsolutePath();
    }

    boolean postgres() {
        return db.equals("postgres") || db.equals("postgresql");
    }

    String dbLabel() {
        return url != null ? "external" : postgres() ? "PostgreSQL" : "SQLite";
    }
}
