package dev.foreshadow.connectors.privacy;

import dev.foreshadow.connectors.signing.Hmac;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps personal data out of storage: free attributes whose key matches a drop pattern are removed,
 * and those that match a pseudonymise pattern are replaced by a keyed hash ({@code HMAC-SHA256},
 * first 16 hex digits), so they can still be grouped on without being readable. Patterns are
 * case-insensitive globs ({@code *email*}).
 *
 * <p>Applied while decoding, before any operator or sink sees the event. The key is never logged or
 * serialised into error messages.
 */
public final class AttributePolicy implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Attribute names that commonly carry personal data; dropped unless configured otherwise. */
    public static final List<String> DEFAULT_DROP =
            List.of(
                    "*email*",
                    "*e-mail*",
                    "*phone*",
                    "*first*name*",
                    "*last*name*",
                    "*full*name*",
                    "*user*name*",
                    "*customer*name*",
                    "*street*",
                    "*postcode*",
                    "*zip*code*",
                    "*ssn*",
                    "*passport*",
                    "*birth*",
                    "ip",
                    "client*ip",
                    "*ip-address*",
                    "*ipaddress*",
                    "*card*number*");

    private final List<String> drop;
    private final List<String> pseudonymise;
    private final byte[] key;
    private transient List<Pattern> dropPatterns;
    private transient List<Pattern> pseudonymisePatterns;

    public AttributePolicy(List<String> drop, List<String> pseudonymise, byte[] key) {
        if (!pseudonymise.isEmpty() && (key == null || key.length < 16)) {
            throw new IllegalArgumentException(
                    "privacy.pseudonymise-attributes needs a key of at least 16 bytes (privacy.pseudonymisation-key-file"
                            + " or FORESHADOW_PSEUDONYMISATION_KEY)");
        }
        this.drop = List.copyOf(drop);
        this.pseudonymise = List.copyOf(pseudonymise);
        this.key = key == null ? null : key.clone();
    }

    public static AttributePolicy defaults() {
        return new AttributePolicy(DEFAULT_DROP, List.of(), null);
    }

    public Map<String, String> apply(Map<String, String> attributes) {
        if (attributes.isEmpty()) {
            return attributes;
        }
        if (dropPatterns == null) {
            dropPatterns = compile(drop);
            pseudonymisePatterns = compile(pseudonymise);
        }
        Map<String, String> kept = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (matches(pseudonymisePatterns, name)) {
                kept.put(e.getKey(), pseudonym(e.getValue()));
            } else if (!matches(dropPatterns, name)) {
                kept.put(e.getKey(), e.getValue());
            }
        }
        return kept;
    }

    private String pseudonym(String value) {
        return "pseud:"
                + HexFormat.of()
                        .formatHex(Hmac.sha256(key, value.getBytes(StandardCharsets.UTF_8)), 0, 8);
    }

    private static boolean matches(List<Pattern> patterns, String name) {
        for (Pattern p : patterns) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    private static List<Pattern> compile(List<String> globs) {
        return globs.stream()
                .map(g -> g.trim().toLowerCase(Locale.ROOT))
                .filter(g -> !g.isEmpty())
                .map(g -> Pattern.compile(("\\Q" + g + "\\E").replace("*", "\\E.*\\Q")))
                .toList();
    }
}
