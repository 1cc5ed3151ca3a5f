package chatd.server.federation;

import chatd.server.http.DirectRoute;
import chatd.server.http.HttpMetrics;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /api/v1/federation/relay} on Jetty's handler API ({@link DirectRoute}): a busy link makes
 * hundreds of these a second, each a small batch, and Javalin's servlet stack cost about as much per request
 * as the events' signature checks. The request's virtual thread waits for the batch's commit.
 */
final class RelayRoute extends DirectRoute {
    static final String PATH = "/api/v1/federation/relay";

    private final FederationEndpoints endpoints;

    RelayRoute(FederationEndpoints endpoints, HttpMetrics metrics) {
        super(metrics, PATH);
        this.endpoints = endpoints;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!here(request)) {
            return super.handle(request, response, callback);
        }
        return post(request, response, callback, this::relay);
    }

    private byte[] relay(Request request) {
        HttpFields headers = request.getHeaders();
        var relay = new FederationEndpoints.RelayRequest(Request.getRemoteAddr(request), headers.get(Signer.HEADER_SERVER),
                headers.get(Signer.HEADER_TS), headers.get(Signer.HEADER_SIG), request.getLength(), Content.Source.asInputStream(request));
        return endpoints.relay(relay);
    }
}
