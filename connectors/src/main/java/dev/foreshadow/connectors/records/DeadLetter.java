package dev.foreshadow.connectors.records;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A rejected input, kept whole with the reason it was rejected: nothing is dropped silently.
 * Written to {@code dead-letters}.
 *
 * @param source where it came from, {@code topic/partition@offset}
 * @param payload the original bytes as text when they are valid UTF-8, else null
 * @param payloadBase64 the original bytes, always
 */
public record DeadLetter(
        String source, String reason, Instant receivedAt, String payload, String payloadBase64) {

    /**
     * A field path as reasons name them: {@code type}, {@code metrics.cpuSeconds}, {@code
     * body.end}.
     */
    private static final Pattern FIELD =
            Pattern.compile("[A-Za-z][A-Za-z0-9_-]*(\\.[A-Za-z][A-Za-z0-9_-]*){0,3}");

    public static DeadLetter of(String source, String reason, Instant receivedAt, byte[] original) {
        byte[] bytes = original == null ? new byte[0] : original;
        return new DeadLetter(
                source,
                reason,
                receivedAt,
                utf8OrNull(bytes),
                Base64.getEncoder().encodeToString(bytes));
    }

    /**
     * The field the reason names (reasons read {@code field: problem}, e.g. {@code
     * metrics.cpuSeconds} of {@code metrics.cpuSeconds: is negative (-3.0)}; a span's prefix {@code
     * span S of trace T: } is skipped), with list indices dropped and free attribute names folded
     * into {@code attributes}, so that it can label a metric; {@code other} when the reason names
     * none.
     */
    public String reasonField() {
        String[] parts = reason == null ? new String[0] : reason.split(": ");
        for (int i = 0; i < parts.length - 1; i++) {
            String field = parts[i].strip().replaceAll("\\[\\d+\\]", "");
            if (FIELD.matcher(field).matches()) {
                return field.startsWith("attributes.") ? "attributes" : field;
            }
        }
        return "other";
    }

    /** The original bytes. */
    public byte[] originalBytes() {
        return Base64.getDecoder().decode(payloadBase64);
    }

    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
