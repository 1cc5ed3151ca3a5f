package chatd.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The browser client's files (class path {@code /web}), answered in front of Javalin. Javalin's
 * static-file handler mounts the whole fat jar as a zip file system for them, and Jetty keeps four such
 * mounts, each with an index of the jar's ~18,000 entries: about 15 MiB of an idle server's 30 MiB of live
 * heap for a dozen small files. Here a file is read from the class path on its first request and kept.
 */
final class WebFiles extends Handler.Wrapper {
    private static final String ROOT = "web";

    private record File(String type, byte[] body) {}

    /** Only files that exist: a request for a missing one costs a class-path lookup, never an entry here. */
    private final Map<String, File> files = new ConcurrentHashMap<>();

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        boolean head = HttpMethod.HEAD.is(method);
        File file = head || HttpMethod.GET.is(method) ? find(Request.getPathInContext(request)) : null;
        if (file == null) {
            return super.handle(request, response, callback);
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, file.type());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=0");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, file.body().length);
        response.write(true, head ? null : ByteBuffer.wrap(file.body()), callback);
        return true;
    }

    private File find(String path) {
        String name = path.endsWith("/") ? path + "index.html" : path;
        // Only plain file names with a known type: no way out of the web directory, no directory listings.
        String type = MimeTypes.DEFAULTS.getMimeByExtension(name);
        if (type == null || name.contains("..") || name.contains("//") || name.contains("\\")) {
            return null;
        }
        File known = files.get(name);
        if (known != null) {
            return known;
        }
        byte[] body = read(ROOT + name);
        if (body == null) {
            return null;
        }
        boolean text = type.startsWith("text/") || type.endsWith("javascript");
        File file = new File(text && !type.contains("charset") ? type + ";charset=utf-8" : type, body);
        files.putIfAbsent(name, file);
        return file;
    }

    private static byte[] read(String resource) {
        try (InputStream in = WebFiles.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the class path", e);
        }
    }
}
