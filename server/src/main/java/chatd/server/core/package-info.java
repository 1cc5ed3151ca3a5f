/**
 * The chat domain: sessions, clients, channels, commands and delivery. It knows nothing of HTTP, SQL
 * or federation transports; adapters call {@link chatd.server.core.ChatCore} and the store is reached
 * only through {@link chatd.server.core.Journal} (writes) and {@link chatd.server.core.HistoryReader}.
 *
 * <h2>Locking</h2>
 * <ul>
 *   <li>tier 1: each {@link chatd.server.core.Inbox} owns a private {@code ReentrantLock}; it is taken
 *       for appends and reads, never while calling out.</li>
 *   <li>tier 2: {@link chatd.server.core.ChatState#lock()} guards every session, client, channel and
 *       membership. {@link chatd.server.core.ChatCore} takes it for every change and view and runs the part
 *       it delegates to ({@code Sessions}, {@code Views}, the command handlers) inside; {@code Cursors} takes it
 *       only to read the cursors; {@code Delivery} (long-polls) never takes it.
 *       Commands run under it: once the journal admits a write ({@link
 *       chatd.server.core.Journal#admit}: not while the store is down), they decide, record their
 *       {@link chatd.server.core.Changes} and enqueue them to the journal in one step, so the journal's
 *       order is the order of events.
 *       The lock is held for microseconds: no I/O happens under it, the caller waits for the commit
 *       after releasing it.</li>
 * </ul>
 * A thread holding tier 1 never takes tier 2. Locks are {@code ReentrantLock}, not {@code synchronized}:
 * request threads are virtual threads and Java 21 pins them inside {@code synchronized}.
 */
package chatd.server.core;
