package chatd.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.server.testing.StoreOutage;
import chatd.server.testing.TestServer;
import chatd.server.testing.Wait;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The store goes away under an IRC connection: a command that cannot be stored is answered with a
 * server NOTICE giving the reason, the connection stays (PING still answers), and once the store is
 * back the connection works as before.
 */
class IrcStoreOutageTest {
    @Test
    void a_refused_command_gets_a_notice_and_the_connection_is_kept() throws Exception {
        try (TestServer server = TestServer.start(Map.of("IRC_PORT", "0"));
                IrcTestClient alice = IrcTestClient.register(server.server().irc().port(), "alice");
                IrcTestClient bob = IrcTestClient.register(server.server().irc().port(), "bob")) {
            alice.send("JOIN #out");
            alice.await(" 366 ");
            bob.send("JOIN #out");
            bob.await(" 366 ");

            try (StoreOutage outage = StoreOutage.begin(server.dbUrl())) {
                alice.send("PRIVMSG #out :during");
                String notice = alice.await("a NOTICE about the store", l -> l.contains(" NOTICE ") && l.contains("store"),
                        Duration.ofSeconds(30));
                assertThat(notice).startsWith(":test NOTICE alice :");
                Wait.until("the store reported down", Duration.ofSeconds(30),
                        () -> server.server().core().storeUnavailableReason() != null);
                alice.send("PRIVMSG #out :refused");
                alice.await("the refusal", l -> l.contains(" NOTICE ") && l.contains("nothing was applied"), Duration.ofSeconds(10));
                alice.send("PING :still-here");
                assertThat(alice.await("PONG")).contains("still-here");
            }
            Wait.until("the store back", Duration.ofSeconds(30), () -> server.server().core().storeUnavailableReason() == null);
            alice.send("PRIVMSG #out :after");
            assertThat(bob.await("PRIVMSG #out :after")).isEqualTo(":alice!alice@test PRIVMSG #out :after");
            assertThat(bob.received()).as("the command caught in flight is delivered once the store is back")
                    .contains(":alice!alice@test PRIVMSG #out :during")
                    .noneMatch(l -> l.contains(":refused"));
        }
    }
}
