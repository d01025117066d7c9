package dev.foreshadow.connectors.records;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

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

    public static DeadLetter of(String source, String reason, Instant receivedAt, byte[] original) {
        byte[] bytes = original == null ? new byte[0] : original;
        return new DeadLetter(
                source,
                reason,
                receivedAt,
                utf8OrNull(bytes),
                Base64.getEncoder().encodeToString(bytes));
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
