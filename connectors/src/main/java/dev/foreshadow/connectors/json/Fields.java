package dev.foreshadow.connectors.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.foreshadow.models.domain.Metric;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads typed fields out of a JSON object, rejecting with a reason that names the field path and
 * the problem. Unknown fields are never looked at, so they are tolerated.
 */
final class Fields {

    private static final int MAX_ID_LENGTH = 256;

    /** The most entries of a list of ids (certifications, workflow types unless given). */
    static final int MAX_LIST = 64;

    private final JsonNode node;
    private final String prefix;

    Fields(JsonNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    static Fields of(JsonNode node, String prefix) throws Rejected {
        if (node == null || !node.isObject()) {
            throw new Rejected(
                    (prefix.isEmpty() ? "event" : prefix)
                            + ": expected a JSON object, got "
                            + kind(node));
        }
        return new Fields(node, prefix.isEmpty() ? "" : prefix + ".");
    }

    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    Fields object(String field) throws Rejected {
        return has(field) ? of(node.get(field), prefix + field) : null;
    }

    String requiredId(String field) throws Rejected {
        return checkId(prefix + field, optionalString(field));
    }

    private static String checkId(String path, String value) throws Rejected {
        if (value == null || value.isBlank()) {
            throw new Rejected(path + ": is missing");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw new Rejected(path + ": is longer than " + MAX_ID_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new Rejected(path + ": contains a control character");
            }
        }
        return value;
    }

    /**
     * Refuses text that no table can store or that is not Unicode: control characters other than
     * tab and line ends (PostgreSQL's text and jsonb refuse NUL) and unpaired UTF-16 surrogates (a
     * lone {@code \ud800} escape, which encodes no character).
     */
    static String checkText(String path, String value) throws Rejected {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                throw new Rejected(path + ": contains a control character (U+" + hex4(c) + ")");
            }
            if (Character.isHighSurrogate(c)
                    && (i + 1 == value.length()
                            || !Character.isLowSurrogate(value.charAt(i + 1)))) {
                throw new Rejected(path + ": contains an unpaired surrogate (invalid unicode)");
            }
            if (Character.isLowSurrogate(c)
                    && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)))) {
                throw new Rejected(path + ": contains an unpaired surrogate (invalid unicode)");
            }
        }
        return value;
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }

    /** An optional id ({@link #requiredId(String)}'s rules), or null when absent or empty. */
    String optionalId(String field) throws Rejected {
        String value = optionalString(field);
        return value == null || value.isEmpty() ? null : checkId(prefix + field, value);
    }

    /** A tenant: an id without {@code /}, and not {@code *}, which stands for every tenant. */
    String tenant(String field) throws Rejected {
        String tenant = requiredId(field, '/');
        if (tenant.equals("*")) {
            throw new Rejected(prefix + field + ": '*' is reserved (it stands for every tenant)");
        }
        return tenant;
    }

    /** A required id that may not contain {@code separator} (it joins such ids in keys or sets). */
    String requiredId(String field, char separator) throws Rejected {
        String value = requiredId(field);
        if (value.indexOf(separator) >= 0) {
            throw new Rejected(prefix + field + ": may not contain '" + separator + "'");
        }
        return value;
    }

    String optionalString(String field) throws Rejected {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            throw new Rejected(prefix + field + ": expected a string, got " + kind(value));
        }
        return checkText(prefix + field, value.textValue());
    }

    Instant requiredInstant(String field) throws Rejected {
        if (!has(field)) {
            throw new Rejected(prefix + field + ": is missing");
        }
        JsonNode value = node.get(field);
        Instant t;
        if (value.isIntegralNumber()) {
            if (!value.canConvertToLong()) {
                throw new Rejected(prefix + field + ": " + abbreviate(value.toString()) + OUTSIDE);
            }
            t = Instant.ofEpochMilli(value.longValue());
        } else if (!value.isTextual()) {
            throw new Rejected(
                    prefix + field + ": expected an ISO-8601 instant, got " + kind(value));
        } else {
            try {
                t = Instant.parse(value.textValue());
            } catch (DateTimeParseException e) {
                throw new Rejected(
                        prefix
                                + field
                                + ": '"
                                + abbreviate(value.textValue())
                                + "' is not an ISO-8601 instant");
            }
        }
        if (t.isBefore(Instant.EPOCH) || t.isAfter(LAST_INSTANT)) {
            throw new Rejected(prefix + field + ": " + t + OUTSIDE);
        }
        return t;
    }

    /**
     * The latest instant a field may hold: later years break the history's timestamps and mean
     * nothing to a workflow.
     */
    static final Instant LAST_INSTANT = Instant.parse("9999-12-31T23:59:59.999Z");

    private static final String OUTSIDE = " lies outside the years 1970 to 9999";

    Double nonNegative(String field) throws Rejected {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isNumber()) {
            throw new Rejected(prefix + field + ": expected a number, got " + kind(value));
        }
        double number = value.doubleValue();
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            throw new Rejected(prefix + field + ": is " + number + ", not a finite number");
        }
        if (number < 0) {
            throw new Rejected(prefix + field + ": is negative (" + number + ")");
        }
        return number;
    }

    Long nonNegativeLong(String field) throws Rejected {
        Double number = nonNegative(field);
        return number == null ? null : Math.round(number);
    }

    /** A finite number from 0 to {@code max} (named by the setting {@code key}), or null. */
    Double bounded(String field, double max, String key) throws Rejected {
        Double number = nonNegative(field);
        if (number != null && number > max) {
            throw new Rejected(
                    prefix
                            + field
                            + ": is "
                            + number
                            + ", more than "
                            + key
                            + " ("
                            + new BigDecimal(max).stripTrailingZeros().toPlainString()
                            + ")");
        }
        return number;
    }

    /** The value of {@code metric} (its wire name is the field), within its plausible bound. */
    Double metric(Metric metric, InputLimits limits) throws Rejected {
        return bounded(metric.wireName(), limits.max(metric), InputOptions.keyOf(metric));
    }

    /** As {@link #metric}, rounded to a whole number. */
    Long wholeMetric(Metric metric, InputLimits limits) throws Rejected {
        Double number = metric(metric, limits);
        return number == null ? null : Math.round(number);
    }

    Integer positiveInt(String field) throws Rejected {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isIntegralNumber()
                || !value.canConvertToLong()
                || value.longValue() < 1
                || value.longValue() > Integer.MAX_VALUE) {
            throw new Rejected(
                    prefix
                            + field
                            + ": expected a whole number from 1, got "
                            + abbreviate(value.toString()));
        }
        return value.intValue();
    }

    /** A whole number from 0, or null when absent. */
    Integer nonNegativeInt(String field) throws Rejected {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isIntegralNumber()
                || !value.canConvertToLong()
                || value.longValue() < 0
                || value.longValue() > Integer.MAX_VALUE) {
            throw new Rejected(
                    prefix
                            + field
                            + ": expected a whole number from 0, got "
                            + abbreviate(value.toString()));
        }
        return value.intValue();
    }

    /** A boolean, or {@code otherwise} when absent. */
    boolean optionalBoolean(String field, boolean otherwise) throws Rejected {
        if (!has(field)) {
            return otherwise;
        }
        JsonNode value = node.get(field);
        if (!value.isBoolean()) {
            throw new Rejected(prefix + field + ": expected a boolean, got " + kind(value));
        }
        return value.booleanValue();
    }

    /** A number, or the string "NaN" (how JSON writes a missing one), or NaN when absent. */
    double numberOrNaN(String field) throws Rejected {
        if (!has(field)) {
            return Double.NaN;
        }
        JsonNode value = node.get(field);
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual() && value.textValue().equals("NaN")) {
            return Double.NaN;
        }
        throw new Rejected(prefix + field + ": expected a number or \"NaN\", got " + kind(value));
    }

    /** An array of strings. */
    List<String> strings(String field) throws Rejected {
        return strings(field, (char) 0);
    }

    /**
     * An array of ids ({@link #requiredId(String)}'s rules), at most {@link #MAX_LIST}, none
     * holding {@code separator} (they are joined by it in state).
     */
    List<String> strings(String field, char separator) throws Rejected {
        List<String> out = ids(field, MAX_LIST);
        for (int i = 0; i < out.size(); i++) {
            if (separator != 0 && out.get(i).indexOf(separator) >= 0) {
                throw new Rejected(
                        prefix + field + "[" + i + "]: may not contain '" + separator + "'");
            }
        }
        return out;
    }

    /** An array of ids (as {@link #requiredId(String)} checks each), at most {@code max}. */
    List<String> ids(String field, int max) throws Rejected {
        if (!has(field)) {
            return List.of();
        }
        JsonNode value = node.get(field);
        if (!value.isArray()) {
            throw new Rejected(
                    prefix + field + ": expected an array of strings, got " + kind(value));
        }
        if (value.size() > max) {
            throw new Rejected(
                    prefix + field + ": holds " + value.size() + " entries, at most " + max);
        }
        List<String> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String path = prefix + field + "[" + i + "]";
            if (!value.get(i).isTextual()) {
                throw new Rejected(path + ": expected a string, got " + kind(value.get(i)));
            }
            out.add(checkText(path, checkId(path, value.get(i).textValue())));
        }
        return out;
    }

    /** A required finite number within {@code [min, max]}. */
    double requiredNumber(String field, double min, double max) throws Rejected {
        if (!has(field)) {
            throw new Rejected(prefix + field + ": is missing");
        }
        JsonNode value = node.get(field);
        if (!value.isNumber()) {
            throw new Rejected(prefix + field + ": expected a number, got " + kind(value));
        }
        double number = value.doubleValue();
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            throw new Rejected(prefix + field + ": is " + number + ", not a finite number");
        }
        if (number < min || number > max) {
            throw new Rejected(
                    prefix + field + ": is " + number + ", not from " + min + " to " + max);
        }
        return number;
    }

    /** An optional instant (as {@link #requiredInstant}), or null. */
    Instant optionalInstant(String field) throws Rejected {
        return has(field) ? requiredInstant(field) : null;
    }

    /** The field's path in reasons, e.g. {@code body.end}. */
    String path(String field) {
        return prefix + field;
    }

    /**
     * An object of at most {@code limits.maxAttributes()} scalar values, each turned into its text
     * of at most {@code limits.maxAttributeChars()} characters, under names of at most {@link
     * InputLimits#MAX_ATTRIBUTE_NAME}; nulls are left out.
     */
    Map<String, String> scalarMap(String field, InputLimits limits) throws Rejected {
        if (!has(field)) {
            return Map.of();
        }
        JsonNode value = node.get(field);
        if (!value.isObject()) {
            throw new Rejected(prefix + field + ": expected an object, got " + kind(value));
        }
        if (value.size() > limits.maxAttributes()) {
            throw new Rejected(
                    prefix
                            + field
                            + ": holds "
                            + value.size()
                            + " entries, more than "
                            + InputOptions.MAX_ATTRIBUTES.key()
                            + " ("
                            + limits.maxAttributes()
                            + ")");
        }
        Map<String, String> out = new LinkedHashMap<>();
        var it = value.fields();
        while (it.hasNext()) {
            var entry = it.next();
            String name = entry.getKey();
            if (name.isEmpty() || name.length() > InputLimits.MAX_ATTRIBUTE_NAME) {
                throw new Rejected(
                        prefix
                                + field
                                + ": a name is empty or longer than "
                                + InputLimits.MAX_ATTRIBUTE_NAME
                                + " characters");
            }
            String path = prefix + field + "." + abbreviate(name);
            checkId(path, name);
            checkText(path, name);
            JsonNode v = entry.getValue();
            if (v.isNull()) {
                continue;
            }
            if (v.isContainerNode()) {
                throw new Rejected(path + ": expected a scalar, got " + kind(v));
            }
            String text = v.asText();
            if (text.length() > limits.maxAttributeChars()) {
                throw new Rejected(
                        path
                                + ": is "
                                + text.length()
                                + " characters, more than "
                                + InputOptions.MAX_ATTRIBUTE_CHARS.key()
                                + " ("
                                + limits.maxAttributeChars()
                                + ")");
            }
            out.put(name, checkText(path, text));
        }
        return out;
    }

    static String kind(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isArray()) {
            return "an array";
        }
        return "an object";
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
