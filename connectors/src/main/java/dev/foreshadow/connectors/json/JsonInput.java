package dev.foreshadow.connectors.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the one JSON object of an input record under the {@link InputLimits}: the way every decoder
 * reads its input, so that they all refuse the same things with reasons naming the field.
 *
 * <p>Before parsing: an empty record, one larger than {@code validation.max-event-bytes} (so an
 * oversized record is never parsed), a byte order mark, a NUL byte (UTF-16, UTF-32 or binary: JSON
 * between systems is UTF-8, RFC 8259 section 8.1) and a top level that is not an object. While
 * parsing, Jackson's strict parser (no trailing commas, comments, leading zeros or unquoted names;
 * invalid UTF-8 refused) with a nesting limit and duplicate detection: a field given twice would
 * let two readers of one record see two different events. After it: anything but whitespace after
 * the closing brace (two events in one record, or trailing garbage). NaN and infinities are read as
 * numbers, so that the field that holds one is named when it is refused.
 */
public final class JsonInput {

    private static final Map<String, ObjectMapper> READERS = new ConcurrentHashMap<>();
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

    private JsonInput() {}

    /** The object of {@code bytes}; {@code top} names the whole record in reasons. */
    public static JsonNode object(byte[] bytes, String top, InputLimits limits) throws Rejected {
        return object(bytes, top, "", limits);
    }

    /**
     * The object of {@code bytes}; {@code top} names the whole record in reasons, {@code prefix}
     * starts the path of its fields ({@code body} for {@code body.end}, else empty).
     */
    public static JsonNode object(byte[] bytes, String top, String prefix, InputLimits limits)
            throws Rejected {
        if (bytes == null || bytes.length == 0) {
            throw new Rejected(top + ": is empty");
        }
        requireSize(bytes.length, top, limits);
        if (bytes.length >= 3
                && (bytes[0] & 0xFF) == 0xEF
                && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF) {
            throw new Rejected(top + ": starts with a byte order mark; send UTF-8 without one");
        }
        int first = -1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new Rejected(
                        top + ": holds a NUL byte: not UTF-8 JSON (UTF-16, UTF-32 or binary)");
            }
            if (first < 0 && !isWhitespace(bytes[i])) {
                first = i;
            }
        }
        requireObject(first < 0 ? -1 : bytes[first] & 0xFF, top);
        JsonParser p = null;
        try {
            p = reader(limits).createParser(bytes);
            return read(p, top);
        } catch (IOException e) {
            throw rejected(e, p, top, prefix, limits);
        } finally {
            close(p);
        }
    }

    /** The object of {@code text} (a signed envelope's body), as {@code object(byte[], ...)}. */
    public static JsonNode object(String text, String top, String prefix, InputLimits limits)
            throws Rejected {
        if (text == null || text.isBlank()) {
            throw new Rejected(top + ": is empty");
        }
        requireSize(text.length(), top, limits);
        if (text.charAt(0) == '\uFEFF') {
            throw new Rejected(top + ": starts with a byte order mark; send UTF-8 without one");
        }
        int first = 0;
        while (isWhitespace(text.charAt(first))) {
            first++;
        }
        requireObject(text.charAt(first), top);
        JsonParser p = null;
        try {
            p = reader(limits).createParser(text);
            return read(p, top);
        } catch (IOException e) {
            throw rejected(e, p, top, prefix, limits);
        } finally {
            close(p);
        }
    }

    private static void requireSize(int size, String top, InputLimits limits) throws Rejected {
        if (size > limits.maxRecordBytes()) {
            throw new Rejected(
                    top
                            + ": is "
                            + size
                            + " bytes, more than "
                            + InputOptions.MAX_EVENT_BYTES.key()
                            + " ("
                            + limits.maxRecordBytes()
                            + ")");
        }
    }

    private static void requireObject(int first, String top) throws Rejected {
        if (first == '{') {
            return;
        }
        String got =
                switch (first) {
                    case '[' -> "an array";
                    case '"' -> "a string";
                    case 't', 'f' -> "a boolean";
                    case 'n' -> "null";
                    case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> "a number";
                    default -> "something that is not JSON";
                };
        throw new Rejected(top + ": expected a JSON object, got " + got);
    }

    private static JsonNode read(JsonParser p, String top) throws IOException, Rejected {
        JsonNode root = p.getCodec().readTree(p);
        try {
            if (p.nextToken() != null) {
                throw trailing(top);
            }
        } catch (JsonProcessingException e) {
            throw trailing(top);
        }
        return root;
    }

    private static Rejected trailing(String top) {
        return new Rejected(
                top
                        + ": holds more than one JSON value (two events in one record, or data after"
                        + " the closing brace)");
    }

    private static void close(JsonParser p) {
        if (p != null) {
            try {
                p.close();
            } catch (IOException e) {
                // a parser of a byte array or a string holds nothing to release
            }
        }
    }

    private static Rejected rejected(
            IOException e, JsonParser p, String top, String prefix, InputLimits limits) {
        // the parser, not the exception: a constraint's exception carries no parser
        JsonStreamContext at = p == null ? null : p.getParsingContext();
        if (e instanceof StreamConstraintsException) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("nesting depth")) {
                return new Rejected(
                        field(at, top, prefix, true)
                                + ": nests deeper than "
                                + limits.maxDepth()
                                + " levels ("
                                + InputOptions.MAX_DEPTH.key()
                                + ")");
            }
            if (message.startsWith("Number value length")) {
                return new Rejected(
                        field(at, top, prefix, false)
                                + ": a number longer than "
                                + InputLimits.MAX_NUMBER_CHARS
                                + " characters");
            }
        }
        if (e instanceof JsonParseException) {
            Matcher m = DUPLICATE.matcher(String.valueOf(e.getMessage()));
            if (m.lookingAt()) {
                return new Rejected(field(at, top, prefix, false) + ": is given twice");
            }
        }
        return new Rejected(top + ": not valid JSON (" + Json.firstLine(e) + ")");
    }

    /**
     * The dotted path of the parser's position ({@code metrics.cpuSeconds}, {@code x[2].y}), or
     * with {@code holder} only the names down to the first array (the field that holds a value too
     * deep to name); {@code top} when there is none.
     */
    private static String field(JsonStreamContext at, String top, String prefix, boolean holder) {
        Deque<String> path = new ArrayDeque<>();
        for (JsonStreamContext c = at; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject()) {
                path.push(c.getCurrentName() == null ? "?" : "." + c.getCurrentName());
            } else {
                path.push("[" + c.getCurrentIndex() + "]");
            }
        }
        StringBuilder b = new StringBuilder(prefix);
        for (String part : path) {
            if (holder && part.startsWith("[")) {
                break;
            }
            b.append(part);
        }
        String s = b.toString();
        if (s.startsWith(".")) {
            s = s.substring(1);
        }
        return s.isEmpty() ? top : Fields.abbreviate(s);
    }

    private static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static ObjectMapper reader(InputLimits limits) {
        return READERS.computeIfAbsent(
                limits.maxRecordBytes() + "/" + limits.maxDepth(),
                k ->
                        new ObjectMapper(
                                JsonFactory.builder()
                                        .streamReadConstraints(
                                                StreamReadConstraints.builder()
                                                        .maxNestingDepth(limits.maxDepth())
                                                        .maxNumberLength(
                                                                InputLimits.MAX_NUMBER_CHARS)
                                                        .maxStringLength(limits.maxRecordBytes())
                                                        .maxNameLength(limits.maxRecordBytes())
                                                        .build())
                                        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                                        .build()));
    }
}
