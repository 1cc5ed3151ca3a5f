package chatd.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExemptGrantsTest {
    private final ExemptGrants grants = ExemptGrants.parse(" RelayBot, 10.1.0.0/16 ,203.0.113.7, 2001:db8::/32, ::1");

    @Test
    void addresses_match_their_network_bit_by_bit() {
        assertThat(grants.coversAddress("10.1.255.3")).isTrue();
        assertThat(grants.coversAddress("10.2.0.1")).isFalse();
        assertThat(grants.coversAddress("203.0.113.7")).isTrue();
        assertThat(grants.coversAddress("203.0.113.8")).isFalse();
        assertThat(grants.coversAddress("2001:db8:0:0:0:0:0:9")).as("as a socket writes IPv6").isTrue();
        assertThat(grants.coversAddress("[::1]")).as("as an HTTP request may write it").isTrue();
        assertThat(grants.coversAddress("2001:db9::1")).isFalse();
        assertThat(grants.coversAddress("localhost")).as("never a name lookup").isFalse();
    }

    @Test
    void accounts_match_casefolded_and_are_not_addresses() {
        assertThat(grants.coversAccount("relaybot")).isTrue();
        assertThat(grants.coversAccount("RELAYBOT")).isTrue();
        assertThat(grants.coversAccount("otherbot")).isFalse();
        assertThat(grants.coversAccount(null)).isFalse();
        assertThat(ExemptGrants.parse("").coversAddress("127.0.0.1")).isFalse();
    }

    @Test
    void a_class_reads_none_as_no_limit() {
        ConnectionClass exempt = ConnectionClass.parse("exempt", "none/none/1000");
        assertThat(exempt.unlimitedLines()).isTrue();
        assertThat(exempt.perAddress()).isEqualTo(1000);
        assertThat(ConnectionClass.parse("anonymous", " 20 / 0.5 / none ").toString()).isEqualTo("anonymous (20/0.5/none)");
    }
}
