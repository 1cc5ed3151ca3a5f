package chatd.cli.model;

/** What the status line says about the link to the server. */
public enum ConnectionState {
    CONNECTING("connecting"),
    CONNECTED("connected"),
    RECONNECTING("reconnecting"),
    LOGGED_OUT("logged out");

    private final String label;

    ConnectionState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
