package dev.foreshadow.connectors.privacy;

import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.connectors.signing.Hmac;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps personal data out of everything foreshadow stores, publishes or logs. Input: an event's
 * free attributes, or a dead letter. Output: the attributes without personal data, or the dead
 * letter with its reason and payload redacted.
 *
 * <p>By name: an attribute whose name matches a drop pattern is removed, one that matches a
 * pseudonymise pattern is replaced by a keyed hash ({@code HMAC-SHA256}, first 16 hex digits), so
 * that it can still be grouped on (the same value under the same key gives the same pseudonym,
 * under another key another). Patterns are globs ({@code *email*}) compared with names lower-cased
 * and without {@code _ - .} and spaces, so {@code *creditcard*} matches {@code credit_card} and
 * {@code creditCard}. By value ({@link PersonalData}): in every other attribute, emails, card
 * numbers, IP addresses and phone numbers are replaced by {@code [redacted <kind>]}, and an
 * attribute whose name holds one is removed.
 *
 * <p>Applied while decoding, before any operator or sink sees the event, and to every dead letter
 * before it is published ({@link #redact(DeadLetter)}). The key is never logged or serialised into
 * error messages.
 */
public final class AttributePolicy implements Serializable {

    private static final long serialVersionUID = 2L;

    /**
     * Attribute names that commonly carry personal data, as globs over normalised names (see the
     * class comment); dropped unless configured otherwise.
     */
    public static final List<String> DEFAULT_DROP =
            List.of(
                    // contact
                    "*email*",
                    "mail",
                    "*phone*",
                    "tel",
                    "mobile",
                    "*mobilenumber*",
                    "fax",
                    // names
                    "name",
                    "*firstname*",
                    "*lastname*",
                    "*fullname*",
                    "*surname*",
                    "*givenname*",
                    "*familyname*",
                    "*middlename*",
                    "*maidenname*",
                    "*username*",
                    "*customername*",
                    "*displayname*",
                    "*nickname*",
                    // where they live or connect from
                    "*address*",
                    "*street*",
                    "*postcode*",
                    "*postalcode*",
                    "*zipcode*",
                    "zip",
                    "ip",
                    "*clientip*",
                    "*remoteip*",
                    "*sourceip*",
                    "*userip*",
                    "*remoteaddr*",
                    "*forwardedfor*",
                    "*geolocation*",
                    "*latitude*",
                    "*longitude*",
                    // who they are
                    "dob",
                    "*birth*",
                    "ssn",
                    "*socialsecurity*",
                    "*passport*",
                    "*nationalid*",
                    "*taxid*",
                    "*driverlicen*",
                    // money
                    "*creditcard*",
                    "*cardnumber*",
                    "*cardno*",
                    "pan",
                    "cvv",
                    "cvc",
                    "*iban*",
                    "*bankaccount*",
                    // secrets
                    "*password*",
                    "*passwd*",
                    "*secret*",
                    "*apikey*",
                    "*authorization*");

    private static final String REDACTED = "[redacted]";

    /**
     * A JSON member of a payload: its name, then a string (to its closing quote, or the end of a
     * truncated payload) or any other scalar.
     */
    private static final Pattern MEMBER =
            Pattern.compile(
                    "\"((?:[^\"\\\\]|\\\\.){1,200})\"(\\s*:\\s*)"
                            + "(\"(?:[^\"\\\\]++|\\\\.)*+(?:\"|$)|[^,{}\\[\\]\\s\"][^,}\\]\\s]*+)");

    /** An OTLP/JSON attribute: {@code {"key": "user.email", "value": {"stringValue": "..."}}}. */
    private static final Pattern OTLP_ATTRIBUTE =
            Pattern.compile(
                    "\"key\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.){1,200})\"\\s*,\\s*\"value\"\\s*:\\s*\\{[^}]*(?:}|$)");

    private final List<String> drop;
    private final List<String> pseudonymise;
    private final byte[] key;
    private transient List<Glob> dropPatterns;
    private transient List<Glob> pseudonymisePatterns;

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

    /** The attributes without personal data (see the class comment). */
    public Map<String, String> apply(Map<String, String> attributes) {
        if (attributes.isEmpty()) {
            return attributes;
        }
        compile();
        Map<String, String> kept = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            String name = normalised(e.getKey());
            if (matches(pseudonymisePatterns, name)) {
                kept.put(e.getKey(), pseudonym(e.getValue()));
            } else if (!matches(dropPatterns, name) && !PersonalData.in(e.getKey())) {
                kept.put(e.getKey(), PersonalData.redact(e.getValue()));
            }
        }
        return kept;
    }

    /**
     * The dead letter with personal data redacted from its reason and its payload: the values of
     * members named by a drop or pseudonymise pattern (in JSON, and in OTLP/JSON attributes) become
     * {@code "[redacted]"}, and what {@link PersonalData} finds anywhere is replaced. A payload
     * that is not UTF-8 (an OTLP protobuf export) is read byte for byte, so the ASCII of an email
     * in it is still found. A payload cut at {@link DeadLetter#KEPT_BYTES} first loses its last,
     * incomplete token, which no pattern could recognise.
     */
    public DeadLetter redact(DeadLetter letter) {
        compile();
        byte[] original = letter.originalBytes();
        boolean utf8 = letter.payload() != null;
        String text = utf8 ? letter.payload() : new String(original, StandardCharsets.ISO_8859_1);
        if (letter.truncated()) {
            text = withoutLastToken(text);
        }
        String redacted = PersonalData.redact(byName(text));
        byte[] bytes =
                redacted.getBytes(utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        if (bytes.length > DeadLetter.KEPT_BYTES) {
            bytes = cut(bytes, utf8);
        }
        return DeadLetter.keeping(
                letter.source(),
                PersonalData.redact(letter.reason()),
                letter.receivedAt(),
                bytes,
                letter.payloadBytes());
    }

    private String byName(String text) {
        if (text.indexOf('"') < 0) {
            return text;
        }
        Matcher otlp = OTLP_ATTRIBUTE.matcher(text);
        StringBuilder b = new StringBuilder(text.length());
        while (otlp.find()) {
            if (isPersonal(otlp.group(1))) {
                otlp.appendReplacement(
                        b,
                        Matcher.quoteReplacement(
                                "\"key\": \"" + otlp.group(1) + "\", \"value\": " + REDACTED));
            }
        }
        otlp.appendTail(b);
        Matcher m = MEMBER.matcher(b.toString());
        StringBuilder out = new StringBuilder(b.length());
        while (m.find()) {
            if (isPersonal(m.group(1))) {
                m.appendReplacement(
                        out,
                        Matcher.quoteReplacement(
                                "\"" + m.group(1) + "\"" + m.group(2) + "\"" + REDACTED + "\""));
            }
        }
        return m.appendTail(out).toString();
    }

    private boolean isPersonal(String name) {
        String n = normalised(name);
        return matches(dropPatterns, n) || matches(pseudonymisePatterns, n);
    }

    private static String withoutLastToken(String text) {
        for (int i = text.length() - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || "\"{}[],:".indexOf(c) >= 0) {
                return text.substring(0, i + 1);
            }
        }
        return "";
    }

    /** The first {@link DeadLetter#KEPT_BYTES}, not splitting a UTF-8 character. */
    private static byte[] cut(byte[] bytes, boolean utf8) {
        int end = DeadLetter.KEPT_BYTES;
        while (utf8 && end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return java.util.Arrays.copyOf(bytes, end);
    }

    private String pseudonym(String value) {
        return "pseud:"
                + HexFormat.of()
                        .formatHex(Hmac.sha256(key, value.getBytes(StandardCharsets.UTF_8)), 0, 8);
    }

    private void compile() {
        if (dropPatterns == null) {
            dropPatterns = compile(drop);
            pseudonymisePatterns = compile(pseudonymise);
        }
    }

    /** A name as patterns see it: lower case, without {@code _ - .} and spaces. */
    static String normalised(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '_' && c != '-' && c != '.' && c != ' ') {
                b.append(Character.toLowerCase(c));
            }
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    private static boolean matches(List<Glob> globs, String name) {
        for (Glob g : globs) {
            if (g.matches(name)) {
                return true;
            }
        }
        return false;
    }

    private static List<Glob> compile(List<String> globs) {
        return globs.stream()
                .map(g -> normalised(g.trim()))
                .filter(g -> !g.isEmpty())
                .map(Glob::new)
                .toList();
    }

    /** A glob of literal parts between {@code *}s, matched without a regular expression. */
    private record Glob(String[] parts, boolean anyStart, boolean anyEnd) {

        Glob(String glob) {
            this(glob.split("\\*+"), glob.startsWith("*"), glob.endsWith("*"));
        }

        boolean matches(String name) {
            int at = 0;
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                if (part.isEmpty()) {
                    continue;
                }
                boolean first = i == 0 && !anyStart;
                boolean last = i == parts.length - 1 && !anyEnd;
                if (first && last) {
                    return name.equals(part);
                }
                if (first) {
                    if (!name.startsWith(part)) {
                        return false;
                    }
                    at = part.length();
                } else if (last) {
                    return name.length() - part.length() >= at && name.endsWith(part);
                } else {
                    int found = name.indexOf(part, at);
                    if (found < 0) {
                        return false;
                    }
                    at = found + part.length();
                }
            }
            return true;
        }
    }
}
