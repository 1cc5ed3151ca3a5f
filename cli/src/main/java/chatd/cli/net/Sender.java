package chatd.cli.net;

import chatd.cli.api.ApiException;
import chatd.protocol.Envelope;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.function.Function;

/**
 * Sends a command with a client-chosen {@code id}, so a retry after a network error cannot create the
 * message twice (SPEC §5 idempotency). Retries network errors and 429/503 a few times with backoff;
 * other refusals are the caller's to show.
 */
public final class Sender {
    private static final int ATTEMPTS = 5;

    private final Function<Envelope, String> transport;
    private final Backoff backoff;
    private final Pause pause;

    public Sender(Function<Envelope, String> transport, Backoff backoff, Pause pause) {
        this.transport = transport;
        this.backoff = backoff;
        this.pause = pause;
    }

    /**
     * Sends {@code envelope} (given a fresh id when it has none).
     *
     * @throws ApiException the server's refusal, or the last failure when every attempt failed
     * @throws UncheckedIOException when the network stayed down for every attempt
     */
    public String send(Envelope envelope) throws InterruptedException {
        Envelope withId = envelope.id() != null ? envelope
                : new Envelope(UUID.randomUUID().toString(), null, envelope.command(), null, envelope.to(),
                        envelope.params(), envelope.body(), null, envelope.meta());
        for (int attempt = 1; ; attempt++) {
            try {
                return transport.apply(withId);
            } catch (UncheckedIOException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                pause.sleep(backoff.delay(attempt));
            } catch (ApiException e) {
                boolean transient_ = e.status() == 429 || e.status() == 503;
                if (!transient_ || attempt >= ATTEMPTS) {
                    throw e;
                }
                pause.sleep(backoff.delay(attempt));
            }
        }
    }
}
