package chatd.server.irc;

import chatd.protocol.Names;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who the operator put in the exempt class (bots, bridges): account names and addresses or networks
 * ({@code 203.0.113.7}, {@code 10.0.0.0/8}, {@code 2001:db8::/32}), written as one comma-separated list.
 */
public final class ExemptGrants {
    public static final ExemptGrants NONE = new ExemptGrants(Set.of(), List.of());
    /** An address is written as a dotted quad (IPv4) or with colons (IPv6); anything else is an account. */
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final Set<String> accounts;
    private final List<Network> networks;

    private ExemptGrants(Set<String> accounts, List<Network> networks) {
        this.accounts = accounts;
        this.networks = networks;
    }

    /** The grants of a written list; an {@link IllegalArgumentException} names the first bad entry. */
    public static ExemptGrants parse(String written) {
        Set<String> accounts = new HashSet<>();
        List<Network> networks = new ArrayList<>();
        for (String part : written.split(",")) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            if (isAddress(entry.replaceFirst("/\\d+$", ""))) {
                networks.add(Network.parse(entry));
            } else if (Names.isValidNick(entry)) {
                accounts.add(Names.fold(entry));
            } else {
                throw new IllegalArgumentException("'" + entry + "' is neither an account name nor an address or network");
            }
        }
        return new ExemptGrants(Set.copyOf(accounts), List.copyOf(networks));
    }

    /** Is this source address (as a socket or HTTP request gives it) in a granted network? */
    public boolean coversAddress(String address) {
        if (networks.isEmpty() || address == null) {
            return false;
        }
        byte[] bytes = literal(address.startsWith("[") ? address.substring(1, address.length() - 1) : address);
        return bytes != null && networks.stream().anyMatch(n -> n.contains(bytes));
    }

    public boolean coversAccount(String account) {
        return account != null && accounts.contains(Names.fold(account));
    }

    private static boolean isAddress(String text) {
        return IPV4.matcher(text).matches() || IPV6.matcher(text).matches();
    }

    /** The bytes of an address literal, or null when it is not one (never a DNS lookup). */
    private static byte[] literal(String text) {
        String address = text.replaceFirst("%.*$", ""); // an IPv6 scope names the interface, not the address
        if (IPV4.matcher(address).matches()) {
            byte[] bytes = new byte[4];
            String[] octets = address.split("\\.");
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(octets[i]);
                if (octet > 255) {
                    return null;
                }
                bytes[i] = (byte) octet;
            }
            return bytes;
        }
        if (!IPV6.matcher(address).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(address).getAddress(); // a colon makes it a literal: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address and how many of its leading bits a source must share with it. */
    private record Network(byte[] address, int prefix) {
        static Network parse(String entry) {
            int slash = entry.indexOf('/');
            byte[] bytes = literal(slash < 0 ? entry : entry.substring(0, slash));
            if (bytes == null) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or network");
            }
            int bits = bytes.length * 8;
            String length = slash < 0 ? "" : entry.substring(slash + 1);
            int prefix = slash < 0 ? bits : length.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(length);
            if (prefix > bits) {
                throw new IllegalArgumentException("'" + entry + "' has a prefix longer than its address");
            }
            return new Network(bytes, prefix);
        }

        boolean contains(byte[] other) {
            if (other.length != address.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (other[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
