package chatd.cli.net;

import chatd.cli.api.ApiClient;
import chatd.cli.api.ApiException;
import chatd.protocol.Hashcash;
import chatd.protocol.Names;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Gets the terminal client a client (device) on the server: resumes the saved login when it is for
 * the same server and nick, otherwise registers ({@code --register}), logs in ({@code --password}) or
 * opens an anonymous session, minting a hashcash stamp when the server asks for one (402).
 */
public final class Connector {
    /** What the command line asked for; {@code nick} and {@code password} may be null. */
    public record Request(String server, String nick, String password, boolean register) {}

    private final ApiClient api;
    private final LoginFile file;
    private final Consumer<String> note;

    public Connector(ApiClient api, LoginFile file, Consumer<String> note) {
        this.api = api;
        this.file = file;
        this.note = note;
    }

    /**
     * Answers the login to use, with {@link #api} already holding its token.
     *
     * @param password asked for only when an account needs one and none was given
     * @throws ApiException when the server refuses (nick in use, wrong password…)
     * @throws IllegalArgumentException when no nick is known
     */
    public SavedLogin connect(Request request, Supplier<String> password) {
        Optional<SavedLogin> saved = file.read();
        if (saved.isPresent() && resumable(saved.get(), request)) {
            SavedLogin login = saved.get();
            api.token(login.token());
            try {
                JsonNode state = api.state();
                String nick = state.path("nick").asText(login.nick());
                note.accept("Resumed the saved login of " + nick + " (" + file.path() + ")");
                return login.withNick(nick);
            } catch (ApiException e) {
                if (e.status() != 401) {
                    throw e;
                }
                note.accept("The saved login of " + login.nick() + " has expired; logging in again");
                api.token(null);
            } catch (UncheckedIOException e) {
                note.accept("Server unreachable; resuming the saved login of " + login.nick() + " when it is back");
                return login;
            }
        }
        String nick = request.nick() != null ? request.nick() : saved.map(SavedLogin::nick).orElse(null);
        if (nick == null) {
            throw new IllegalArgumentException("no nick: give one with --nick NAME");
        }
        ApiClient.Login login;
        if (request.register()) {
            String secret = request.password() != null ? request.password() : password.get();
            login = withHashcash(stamp -> api.register(nick, secret, stamp));
            note.accept("Registered the account " + login.nick());
        } else if (request.password() != null) {
            String secret = request.password().isEmpty() ? password.get() : request.password();
            login = api.login(nick, secret);
            note.accept("Logged in as " + login.nick());
        } else {
            login = withHashcash(stamp -> api.createSession(nick, stamp));
            note.accept("Connected as " + login.nick());
        }
        return new SavedLogin(request.server(), login.nick(), login.token(), 0);
    }

    private static boolean resumable(SavedLogin saved, Request request) {
        return saved.token() != null && !request.register()
                && sameServer(saved.server(), request.server())
                && (request.nick() == null || (saved.nick() != null && Names.fold(saved.nick()).equals(Names.fold(request.nick()))));
    }

    private static boolean sameServer(String a, String b) {
        return a != null && b != null && strip(a).equalsIgnoreCase(strip(b));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private ApiClient.Login withHashcash(Function<String, ApiClient.Login> attempt) {
        try {
            return attempt.apply(null);
        } catch (ApiException e) {
            if (e.status() != 402) {
                throw e;
            }
        }
        JsonNode server = api.server();
        int bits = server.path("hashcash_bits").asInt(0);
        note.accept("The server asks for proof of work (" + bits + " bits); computing a stamp…");
        String stamp = Hashcash.mint(bits, LocalDate.now(ZoneOffset.UTC), server.path("name").asText());
        return attempt.apply(stamp);
    }
}
