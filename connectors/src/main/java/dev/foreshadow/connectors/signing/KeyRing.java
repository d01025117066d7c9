package dev.foreshadow.connectors.signing;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys external events are signed with, by key id, read from a key file of one key a line:
 *
 * <pre>
 * # key id          tenant  secret (base64, at least 32 bytes: openssl rand -base64 32)
 * campaigns-2026-11 shop    q2vT...
 * platform-2026-10  *       Zx9B...
 * </pre>
 *
 * Several keys are in force at once, so a key rotates by id: add the new key, let senders move to
 * it, then remove the old one. A key signs for one tenant, or for any ({@code *}). Blank lines and
 * lines starting with {@code #} are skipped. A bad file is rejected with one line naming the file
 * and the line, never a secret.
 */
public final class KeyRing implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String setting;
    private final Map<String, SigningKey> keys;

    private KeyRing(String setting, Map<String, SigningKey> keys) {
        this.setting = setting;
        this.keys = keys;
    }

    /** No keys: nothing verifies. {@code setting} names what would hold them, for messages. */
    public static KeyRing none(String setting) {
        return new KeyRing(setting, Map.of());
    }

    /**
     * The keys of {@code file}; {@code setting} (the option or flag that named it) starts every
     * error message.
     */
    public static KeyRing read(Path file, String setting) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(setting + " " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    setting + " " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        return parse(lines, setting, setting + " " + file);
    }

    /** The keys of a key file's {@code lines}; {@code setting} starts every error message. */
    public static KeyRing parse(List<String> lines, String setting) {
        return parse(lines, setting, setting);
    }

    private static KeyRing parse(List<String> lines, String setting, String where) {
        Map<String, SigningKey> keys = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int number = i + 1;
            String at = where + " line " + number + ": ";
            String[] f = line.split("\\s+");
            if (f.length != 3) {
                throw new IllegalArgumentException(
                        at
                                + "expected <key id> <tenant or *> <base64 secret>, got "
                                + f.length
                                + (f.length == 1 ? " field" : " fields"));
            }
            if (lineOf.containsKey(f[0])) {
                throw new IllegalArgumentException(
                        at + "key id " + f[0] + " is already defined on line " + lineOf.get(f[0]));
            }
            byte[] secret;
            try {
                secret = Base64.getDecoder().decode(f[2]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + "the secret is not base64");
            }
            try {
                keys.put(f[0], new SigningKey(f[0], f[1], secret));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + e.getMessage());
            }
            lineOf.put(f[0], number);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(where + ": holds no key");
        }
        return new KeyRing(setting, Collections.unmodifiableMap(keys));
    }

    /** One line of a key file, as {@link #read} reads it (for tools that write key files). */
    public static String line(String keyId, String tenant, byte[] secret) {
        return keyId + " " + tenant + " " + Base64.getEncoder().encodeToString(secret);
    }

    /** The key with this id, or null. */
    public SigningKey key(String keyId) {
        return keyId == null ? null : keys.get(keyId);
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    public Set<String> keyIds() {
        return keys.keySet();
    }

    /** The option or flag the keys come from, for messages. */
    public String setting() {
        return setting;
    }

    @Override
    public String toString() {
        return keys.isEmpty()
                ? "no keys (" + setting + " not set)"
                : keys.size() + " keys from " + setting + " (ids " + keys.keySet() + ")";
    }
}
