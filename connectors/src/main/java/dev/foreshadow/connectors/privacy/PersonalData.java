package dev.foreshadow.connectors.privacy;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data by its value, wherever it sits in a text: email addresses, card numbers (13
 * to 19 digits that pass the Luhn check, ISO/IEC 7812-1 annex B), IPv4 and IPv6 addresses and phone
 * numbers (an international {@code +} number, or at least eight digits in three or more groups, as
 * {@code 555-123-4567} or {@code 06 12 34 56 78} are written; bare digit runs, ISO dates and
 * decimals are not taken for phones). Each match is replaced by {@code [redacted <kind>]}.
 *
 * <p>A heuristic, tuned to err towards redacting: a 16-digit id that passes Luhn (one in ten do) or
 * a number written as {@code 12 345 678} is redacted too; it never reads names or street addresses,
 * which only the attribute names can tell ({@link AttributePolicy}).
 */
public final class PersonalData {

    private record Kind(String name, Pattern pattern) {}

    /**
     * Every pattern starts at a boundary (a lookbehind) and repeats a bounded number of times, so
     * that a long run of letters or digits (a 64 KiB dead letter) is scanned in linear time.
     */
    private static final Pattern EMAIL =
            Pattern.compile(
                    "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\\.){1,8}"
                            + "[A-Za-z]{2,24}(?![A-Za-z0-9-])");

    /** Issuers' numbers start with 2 to 6; an epoch-millisecond time starts with 1. */
    private static final Pattern CARD =
            Pattern.compile(
                    "(?<![\\d.-])[2-6](?:\\d{12,18}|\\d{3}([ -])\\d{4}\\1\\d{4}\\1\\d{1,7}"
                            + "|\\d{3}[ -]\\d{6}[ -]\\d{5})(?![\\d.])");

    private static final Pattern IPV4 =
            Pattern.compile(
                    "(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}"
                            + "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?![\\d]|\\.\\d)");
    private static final Pattern IPV6 =
            Pattern.compile("(?<![\\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\\w:])");
    private static final Pattern PHONE =
            Pattern.compile(
                    "(?<![\\w+])(?:\\+\\d[\\d ()./-]{5,22}\\d|\\(?\\d[\\d ()./-]{6,22}\\d)(?!\\w)");
    private static final Pattern DATE =
            Pattern.compile("\\d{4}[-./]\\d{1,2}[-./]\\d{1,2}|\\d{1,2}[-./]\\d{1,2}[-./]\\d{4}");
    private static final Pattern DIGIT_GROUPS = Pattern.compile("\\d+");

    private static final List<Kind> KINDS =
            List.of(
                    new Kind("email", EMAIL),
                    new Kind("card number", CARD),
                    new Kind("ip address", IPV4),
                    new Kind("ip address", IPV6),
                    new Kind("phone number", PHONE));

    private PersonalData() {}

    /** Whether {@code text} holds anything {@link #redact} would replace. */
    public static boolean in(String text) {
        return !redact(text).equals(text);
    }

    /** {@code text} with every email, card number, IP address and phone number replaced. */
    public static String redact(String text) {
        if (text == null || !mayHold(text)) {
            return text;
        }
        String out = text;
        for (Kind kind : KINDS) {
            out = replace(out, kind);
        }
        return out;
    }

    /** A cheap filter: every kind needs an {@code @}, a {@code :} or at least seven digits. */
    private static boolean mayHold(String text) {
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '@' || c == ':') {
                return true;
            }
            if (c >= '0' && c <= '9' && ++digits >= 7) {
                return true;
            }
        }
        return false;
    }

    private static String replace(String text, Kind kind) {
        Matcher m = kind.pattern().matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            String found = m.group();
            if (!confirmed(kind, found)) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, last, m.start()).append("[redacted ").append(kind.name()).append(']');
            last = m.end();
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    private static boolean confirmed(Kind kind, String found) {
        return switch (kind.name()) {
            case "card number" -> luhn(found.replaceAll("[ -]", ""));
            case "ip address" -> kind.pattern() == IPV4 || ipv6(found);
            case "phone number" -> phone(found);
            default -> true;
        };
    }

    /** The Luhn check of a card number's digits (ISO/IEC 7812-1, annex B). */
    static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /** Eight groups of up to four hex digits, or fewer around one {@code ::}. */
    private static boolean ipv6(String s) {
        int compressed = s.indexOf("::");
        if (compressed >= 0 && s.indexOf("::", compressed + 1) >= 0) {
            return false;
        }
        String[] groups = s.split(":", -1);
        int filled = 0;
        for (String g : groups) {
            if (!g.isEmpty()) {
                filled++;
            }
        }
        return compressed >= 0 ? filled >= 1 && filled <= 7 : groups.length == 8 && filled == 8;
    }

    private static boolean phone(String s) {
        if (DATE.matcher(s).find()) {
            return false;
        }
        int digits = 0;
        int groups = 0;
        Matcher m = DIGIT_GROUPS.matcher(s);
        while (m.find()) {
            digits += m.group().length();
            groups++;
        }
        if (digits > 15) {
            return false;
        }
        return s.startsWith("+") ? digits >= 7 : digits >= 8 && groups >= 3;
    }
}
