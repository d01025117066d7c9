package dev.foreshadow.jobs.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.external.ExternalEventVerifier;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.records.SignedEnvelope;
import dev.foreshadow.connectors.records.VerifiedEvent;
import dev.foreshadow.connectors.signing.KeyRing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code foreshadow sign}: the record it prints is what the job verifies, and each rejected input
 * ends with one line saying what was wrong, never a secret.
 */
class SignCommandTest {

    private static final byte[] SECRET = "the-platform-teams-32-byte-secrt".getBytes(UTF_8);
    private static final String EVENT =
            "{\"eventId\":\"bf-1\",\"source\":\"crm\",\"kind\":\"campaign\",\n"
                    + "  \"start\":\"2026-11-27T00:00:00Z\",\"end\":\"2026-11-28T00:00:00Z\",\"magnitude\":2}\n";

    @TempDir Path dir;
    private Path keyFile;

    @BeforeEach
    void writeKeyFile() throws Exception {
        keyFile =
                Files.write(
                        dir.resolve("keys"),
                        List.of(
                                KeyRing.line("platform", "*", SECRET),
                                KeyRing.line("shop-1", "shop", SECRET)));
    }

    @Test
    void printsOneLineThatTheJobsVerifierAcceptsWithTheEventsExactText() throws Exception {
        SignCommands.Run r =
                SignCommands.run(
                        EVENT, "sign", "--key-file", keyFile.toString(), "--key-id", "platform");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out().strip().lines()).hasSize(1);
        SignedEnvelope envelope = Json.read(r.out().strip().getBytes(UTF_8), SignedEnvelope.class);
        assertThat(envelope.body()).isEqualTo(EVENT.strip());
        VerifiedEvent v =
                new ExternalEventVerifier(
                                KeyRing.read(keyFile, "external-events.key-file"),
                                Duration.ofMinutes(5),
                                Duration.ofMinutes(1))
                        .verify(r.out().strip().getBytes(UTF_8), Instant.now(), "test");
        assertThat(v.event().eventId()).isEqualTo("bf-1");
        assertThat(v.event().tenant()).isEqualTo("default");
        assertThat(r.out() + r.err()).doesNotContain(Base64.getEncoder().encodeToString(SECRET));
    }

    @Test
    void setsTheTenantWithTenant() throws Exception {
        SignCommands.Run r =
                SignCommands.run(
                        EVENT,
                        "sign",
                        "--key-file",
                        keyFile.toString(),
                        "--key-id",
                        "shop-1",
                        "--tenant",
                        "shop");

        assertThat(r.exitCode()).isZero();
        SignedEnvelope envelope = Json.read(r.out().strip().getBytes(UTF_8), SignedEnvelope.class);
        assertThat(Json.MAPPER.readTree(envelope.body()).get("tenant").asText()).isEqualTo("shop");
    }

    @Test
    void rejectsAMissingOrUnknownKeyIdWithOneLine() {
        assertOneLine(
                EVENT,
                "foreshadow: Missing required option: '--key-id=ID' (see foreshadow sign --help)",
                "sign",
                "--key-file",
                keyFile.toString());
        assertOneLine(
                EVENT,
                "foreshadow: --key-id shop-2 is not in --key-file "
                        + keyFile
                        + " (it holds platform, shop-1)",
                "sign",
                "--key-file",
                keyFile.toString(),
                "--key-id",
                "shop-2");
    }

    @Test
    void rejectsABadKeyFileWithOneLineNamingTheFileAndLineButNotTheSecret() throws Exception {
        String shortSecret = Base64.getEncoder().encodeToString("too-short".getBytes(UTF_8));
        Path bad =
                Files.write(
                        dir.resolve("bad-keys"), List.of("# keys", "platform * " + shortSecret));

        String err =
                assertOneLine(
                        EVENT,
                        "foreshadow: --key-file "
                                + bad
                                + " line 2: the secret is 9 bytes, at least 32 are needed (openssl rand -base64 32)",
                        "sign",
                        "--key-file",
                        bad.toString(),
                        "--key-id",
                        "platform");
        assertThat(err).doesNotContain(shortSecret);
        assertOneLine(
                EVENT,
                "foreshadow: --key-file " + dir.resolve("none") + ": no such file",
                "sign",
                "--key-file",
                dir.resolve("none").toString(),
                "--key-id",
                "platform");
    }

    @Test
    void rejectsInvalidJsonAnInvalidEventAndAnotherTenantsEventWithOneLine() {
        String[] args = {"sign", "--key-file", keyFile.toString(), "--key-id", "shop-1"};

        assertOneLine(
                "{\"eventId\": \"bf-1\",\n \"kind\": }",
                "foreshadow: the event on standard input: event: not valid JSON (Unexpected character ('}' (code 125)):"
                        + " expected a valid value (JSON String, Number (or 'NaN'/'+INF'/'-INF'), Array, Object"
                        + " or token 'null', 'true' or 'false'))",
                args);
        assertOneLine(
                EVENT.replace("\"magnitude\":2", "\"magnitude\":-2")
                        .replace("{", "{\"tenant\":\"shop\","),
                "foreshadow: the event on standard input: magnitude: is -2.0, not from 0.0 to 1000.0",
                args);
        assertOneLine(
                EVENT,
                "foreshadow: the event on standard input: tenant: key shop-1 signs only events of tenant"
                        + " 'shop', this one is for 'default'",
                args);
        assertOneLine(
                "  \n",
                "foreshadow: no event on standard input (./foreshadow sign --key-file F --key-id K < event.json)",
                args);
    }

    /** Runs {@code args}, asserts exit code 2 and one line {@code expected}; returns it. */
    private static String assertOneLine(String stdin, String expected, String... args) {
        SignCommands.Run r = SignCommands.run(stdin, args);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).containsExactly(expected);
        return r.err();
    }
}
