package chatd.server.federation;

import chatd.protocol.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP client this server talks to its peers with: JSON POSTs, signed as this server where the protocol says so. */
final class FederationHttp {
    private static final Logger LOG = LoggerFactory.getLogger(FederationHttp.class);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final String self;
    private final Signer signer;
    private final Clock clock;

    FederationHttp(String self, Signer signer, Clock clock) {
        this.self = self;
        this.signer = signer;
        this.clock = clock;
    }

    /** POSTs JSON and waits; signs it as this server when {@code signedPath} is set. Null on a transport error. */
    HttpResponse<String> post(String url, byte[] body, String signedPath) {
        try {
            return http.send(request(url, body, signedPath), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("POST {} failed: {}", url, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** POSTs signed JSON without waiting; the answer is null on a transport error. */
    CompletableFuture<HttpResponse<String>> postAsync(String url, byte[] body, String signedPath) {
        return http.sendAsync(request(url, body, signedPath), HttpResponse.BodyHandlers.ofString())
                .exceptionally(e -> {
                    LOG.debug("POST {} failed: {}", url, e.toString());
                    return null;
                });
    }

    private HttpRequest request(String url, byte[] body, String signedPath) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signedPath != null) {
            long ts = clock.millis();
            b.header(Signer.HEADER_SERVER, self).header(Signer.HEADER_TS, Long.toString(ts))
                    .header(Signer.HEADER_SIG, signer.signRequest("POST", signedPath, ts, body));
        }
        return b.build();
    }

    /** A JSON object answer, or null. */
    static JsonNode parse(String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }
}
