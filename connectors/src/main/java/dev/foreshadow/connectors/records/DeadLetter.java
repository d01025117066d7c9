package dev.foreshadow.connectors.records;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A rejected input, kept with the reason it was rejected: nothing is dropped silently. Written to
 * {@code dead-letters}, where personal data is redacted from its reason and payload first (the
 * privacy policy's {@code redact}).
 *
 * <p>It keeps at most the first {@link #KEPT_BYTES} of the input, so that a dead letter of an
 * oversized record stays small enough for the topic (a record of a megabyte would become a dead
 * letter of three, above Kafka's default limit, and fail the sink); {@code payloadBytes} says how
 * large the input was.
 *
 * @param source where it came from, {@code topic/partition@offset}
 * @param payload the kept bytes as text when they are valid UTF-8, else null
 * @param payloadBase64 the kept bytes, always
 * @param payloadBytes the size of the whole input
 */
public record DeadLetter(
        String source,
        String reason,
        Instant receivedAt,
        String payload,
        String payloadBase64,
        int payloadBytes) {

    /** The most of an input a dead letter keeps. */
    public static final int KEPT_BYTES = 64 * 1024;

    /**
     * A field path as reasons name them: {@code type}, {@code metrics.cpuSeconds}, {@code
     * body.end}.
     */
    private static final Pattern FIELD =
            Pattern.compile("[A-Za-z][A-Za-z0-9_-]*(\\.[A-Za-z][A-Za-z0-9_-]*){0,3}");

    public static DeadLetter of(String source, String reason, Instant receivedAt, byte[] original) {
        byte[] bytes = original == null ? new byte[0] : original;
        return keeping(source, reason, receivedAt, bytes, bytes.length);
    }

    /** A dead letter of {@code kept}, the (redacted) bytes of an input of {@code size} bytes. */
    public static DeadLetter keeping(
            String source, String reason, Instant receivedAt, byte[] kept, int size) {
        byte[] bytes = kept.length <= KEPT_BYTES ? kept : Arrays.copyOf(kept, KEPT_BYTES);
        return new DeadLetter(
                source,
                reason,
                receivedAt,
                utf8OrNull(bytes),
                Base64.getEncoder().encodeToString(bytes),
                size);
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

    /** The kept bytes: the whole input unless it was larger than {@link #KEPT_BYTES}. */
    public byte[] originalBytes() {
        return Base64.getDecoder().decode(payloadBase64);
    }

    /** Whether the payload is only the first {@link #KEPT_BYTES} of the input. */
    public boolean truncated() {
        return payloadBytes > originalBytes().length;
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
