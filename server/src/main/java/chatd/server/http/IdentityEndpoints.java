package chatd.server.http;

import chatd.server.core.Account;
import chatd.server.core.ChatCore;
import chatd.server.core.ChatError;
import chatd.server.core.Passwords;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/** Sessions, accounts and clients (SPEC §3): session, register, login, logout, state. */
final class IdentityEndpoints implements HttpApi.Module {
    private static final int MIN_PASSWORD = 8;
    private static final int MAX_PASSWORD = 200;

    private final ChatCore core;
    private final RequestBodies bodies;
    private final Passwords passwords;
    /** Source address → seconds to wait before another login attempt (LOGIN_RATE_LIMIT). */
    private final ToLongFunction<String> loginWait;

    IdentityEndpoints(ChatCore core, RequestBodies bodies, Passwords passwords, ToLongFunction<String> loginWait) {
        this.core = core;
        this.bodies = bodies;
        this.passwords = passwords;
        this.loginWait = loginWait;
    }

    @Override
    public void routes(HttpApi api) {
        api.post("/api/v1/session", this::createSession);
        api.post("/api/v1/register", this::register);
        api.post("/api/v1/login", this::login);
        api.post("/api/v1/logout", ctx -> {
            core.logout(api.client(ctx));
            HttpApi.json(ctx, 200, Map.of("status", "ok"));
        });
        api.get("/api/v1/state", ctx -> HttpApi.json(ctx, 200, core.stateOf(api.client(ctx))));
        api.get("/api/v1/users/me", ctx -> HttpApi.json(ctx, 200, core.stateOf(api.client(ctx))));
    }

    private void createSession(Context ctx) {
        JsonNode body = bodies.object(ctx);
        String nick = RequestBodies.text(body, "nick", 64);
        String stamp = RequestBodies.optionalText(body, "hashcash", 512);
        issued(ctx, 201, core.createSession(nick, stamp));
    }

    private void register(Context ctx) {
        throttle(ctx);
        JsonNode body = bodies.object(ctx);
        String nick = RequestBodies.text(body, "nick", 64);
        String password = password(body);
        String stamp = RequestBodies.optionalText(body, "hashcash", 512);
        if (core.account(nick) != null) {
            throw new ChatError(ChatError.Kind.NICK_IN_USE, "nick is registered", chatd.protocol.Numeric.ERR_NICKNAMEINUSE);
        }
        issued(ctx, 201, core.register(nick, passwords.hash(password), stamp));
    }

    private void login(Context ctx) {
        throttle(ctx);
        JsonNode body = bodies.object(ctx);
        String nick = RequestBodies.text(body, "nick", 64);
        String password = password(body);
        String device = RequestBodies.optionalText(body, "device", 64);
        Account account = core.account(nick);
        boolean ok = passwords.matches(password, account == null ? passwords.decoyHash() : account.passwordHash());
        if (account == null || !ok) {
            throw new ChatError(ChatError.Kind.UNAUTHORIZED, "wrong nick or password", chatd.protocol.Numeric.ERR_PASSWDMISMATCH);
        }
        issued(ctx, 200, core.login(account, device == null ? "default" : device));
    }

    private void throttle(Context ctx) {
        long wait = loginWait.applyAsLong(ctx.ip());
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            throw new ChatError(ChatError.Kind.RATE_LIMITED, "too many attempts from " + ctx.ip() + "; retry in " + wait + " s");
        }
    }

    private static String password(JsonNode body) {
        String password = RequestBodies.text(body, "password", MAX_PASSWORD);
        if (password.length() < MIN_PASSWORD) {
            throw ApiErrors.invalid("password must be at least " + MIN_PASSWORD + " characters");
        }
        return password;
    }

    private static void issued(Context ctx, int status, ChatCore.Issued issued) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", issued.session().id());
        out.put("nick", issued.session().nick());
        out.put("token", issued.token());
        HttpApi.json(ctx, status, out);
    }
}
