package dev.foreshadow.jobs.shadow.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foreshadow.connectors.external.ExternalEventSigner;
import dev.foreshadow.connectors.json.Rejected;
import dev.foreshadow.connectors.signing.KeyRing;
import dev.foreshadow.connectors.signing.SigningKey;
import dev.foreshadow.jobs.shadow.ShadowSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The external-events settings as ShadowJob reads them, and what they refuse before it starts. */
class ExternalEventSettingsTest {

    @TempDir Path dir;

    @Test
    void defaultsToFiveMinutesOfAgeAMinuteOfSkewAndATenMinuteReplayWindow() {
        ExternalEventSettings s = settings(Map.of());

        assertThat(s.topic()).isEqualTo("external-events");
        assertThat(s.maxAge()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.maxClockSkew()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.replayWindow()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void withoutAKeyFileTheJobStartsAndEveryEventIsUnverifiable() throws Exception {
        ExternalEventSettings s = settings(Map.of());
        Instant now = Instant.now();
        byte[] signed =
                ExternalEventSigner.record(
                        new ExternalEventSigner(
                                        new SigningKey("shop-2026-11", "shop", new byte[32]),
                                        InstantSource.fixed(now))
                                .signExactly("{}"));

        assertThat(s.keys().isEmpty()).isTrue();
        assertThatThrownBy(() -> s.verifier().verify(signed, now, "external-events/0@0"))
                .isInstanceOf(Rejected.class)
                .hasMessage(
                        "keyId: no key is configured (external-events.key-file), so no event can be verified");
    }

    @Test
    void readsTheKeysOfTheKeyFile() throws Exception {
        Path file =
                Files.write(
                        dir.resolve("keys"),
                        List.of(KeyRing.line("shop-2026-11", "shop", new byte[32])));

        ExternalEventSettings s = settings(Map.of("external-events.key-file", file.toString()));

        assertThat(s.keys().keyIds()).containsExactly("shop-2026-11");
    }

    @Test
    void aBadKeyFileStopsTheJobWithOneLineNamingTheFileAndTheLine() throws Exception {
        Path file = Files.write(dir.resolve("keys"), List.of("shop-2026-11 shop not-base64!"));

        assertThatThrownBy(
                        () ->
                                ShadowSettings.load(
                                        null, Map.of("external-events.key-file", file.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "external-events.key-file " + file + " line 1: the secret is not base64");
    }

    @Test
    void refusesAReplayWindowShorterThanTheMaxAge() {
        assertThatThrownBy(
                        () ->
                                ShadowSettings.load(
                                        null,
                                        Map.of(
                                                "external-events.max-age", "10 min",
                                                "external-events.replay-window", "5 min")))
                .hasMessage(
                        "external-events.replay-window (PT5M) must be at least external-events.max-age"
                                + " (PT10M), or a replay could come after its nonce is forgotten");
        assertThatThrownBy(
                        () -> ShadowSettings.load(null, Map.of("external-events.max-age", "0 s")))
                .hasMessage("external-events.max-age must be positive, got PT0S");
    }

    @Test
    void rejectsAMisspelledSettingOfTheSectionByName() {
        assertThatThrownBy(() -> ShadowSettings.load(null, Map.of("external-events.keyfile", "k")))
                .hasMessage(
                        "unknown setting external-events.keyfile (see the README's configuration table)");
    }

    private static ExternalEventSettings settings(Map<String, String> values) {
        return ShadowSettings.from(ShadowSettings.load(null, values)).externalEvents();
    }
}
