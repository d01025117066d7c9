package dev.foreshadow.connectors.signing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The key file: what it holds, what it rejects and how, and that no secret is ever shown. */
class KeyRingTest {

    private static final String SHORT_SECRET =
            Base64.getEncoder().encodeToString("a-secret-of-thirty-one-bytes-!!".getBytes(UTF_8));

    @TempDir Path dir;

    @Test
    void readsSeveralKeysWithTheirTenantsSkippingCommentsAndBlankLines() throws Exception {
        Path file = Files.write(dir.resolve("keys"), Keys.rotating());

        KeyRing ring = KeyRing.read(file, "external-events.key-file");

        assertThat(ring.keyIds()).containsExactly(Keys.OLD, Keys.NEW, Keys.PLATFORM);
        assertThat(ring.key(Keys.OLD).maySignFor("shop")).isTrue();
        assertThat(ring.key(Keys.OLD).maySignFor("bank")).isFalse();
        assertThat(ring.key(Keys.PLATFORM).maySignFor("bank")).isTrue();
        assertThat(ring.key("nobody")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "k1 shop                          | line 2: expected <key id> <tenant or *> <base64 secret>, got 2 fields",
                "k1 shop c2VjcmV0 extra           | line 2: expected <key id> <tenant or *> <base64 secret>, got 4 fields",
                "k/1 shop SECRET                  | line 2: the key id may hold only letters, digits, '.', '_' and '-', at most 64",
                "k1 sh/op SECRET                  | line 2: the tenant may hold neither '/', spaces nor control characters",
                "k1 shop not-base64!!             | line 2: the secret is not base64",
                "k1 shop SHORT                    | line 2: the secret is 31 bytes, at least 32 are needed (openssl rand -base64 32)",
                "shop-2026-10 shop SECRET         | line 2: key id shop-2026-10 is already defined on line 1",
            })
    void rejectsABadLineNamingTheFileAndLineButNeverTheSecret(String line, String problem)
            throws Exception {
        String secret = Base64.getEncoder().encodeToString(Keys.NEW_SECRET);
        Path file =
                Files.write(
                        dir.resolve("keys"),
                        List.of(
                                KeyRing.line(Keys.OLD, "shop", Keys.OLD_SECRET),
                                line.replace("SHORT", SHORT_SECRET).replace("SECRET", secret)));

        assertThatThrownBy(() -> KeyRing.read(file, "external-events.key-file"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("external-events.key-file " + file + " " + problem)
                .hasMessageNotContaining(secret)
                .hasMessageNotContaining(SHORT_SECRET)
                .hasMessageNotContaining(Base64.getEncoder().encodeToString(Keys.OLD_SECRET));
    }

    @Test
    void rejectsAMissingOrEmptyFileNamingIt() throws Exception {
        Path missing = dir.resolve("absent");
        Path empty = Files.write(dir.resolve("empty"), List.of("# no keys yet"));

        assertThatThrownBy(() -> KeyRing.read(missing, "--key-file"))
                .hasMessage("--key-file " + missing + ": no such file");
        assertThatThrownBy(() -> KeyRing.read(empty, "--key-file"))
                .hasMessage("--key-file " + empty + ": holds no key");
    }

    @Test
    void showsKeyIdsAndTenantsButNoSecret() {
        KeyRing ring = Keys.ring(Keys.rotating());

        assertThat(ring + " " + ring.key(Keys.OLD))
                .contains(Keys.OLD, Keys.NEW, "tenant shop")
                .doesNotContain(
                        Base64.getEncoder().encodeToString(Keys.OLD_SECRET),
                        new String(Keys.OLD_SECRET, UTF_8));
        assertThat(KeyRing.none("external-events.key-file").toString())
                .isEqualTo("no keys (external-events.key-file not set)");
    }

    @Test
    void survivesJavaSerialisationAsFlinkShipsIt() throws Exception {
        KeyRing ring = Keys.ring(Keys.rotating());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(ring);
        }

        KeyRing copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (KeyRing) in.readObject();
        }

        assertThat(copy.keyIds()).containsExactlyElementsOf(ring.keyIds());
        assertThat(copy.key(Keys.NEW).mac("x".getBytes(UTF_8)))
                .isEqualTo(ring.key(Keys.NEW).mac("x".getBytes(UTF_8)));
    }
}
