package dev.foreshadow.connectors.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.json.Rejected;
import dev.foreshadow.connectors.records.SignedEnvelope;
import dev.foreshadow.connectors.signing.KeyRing;
import dev.foreshadow.connectors.signing.Keys;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/** What the signer signs, and what it refuses to sign, before anything is published. */
class ExternalEventSignerTest {

    private static final Instant NOW = Instant.parse("2026-11-20T09:00:00.750Z");
    private static final String CAMPAIGN =
            "{\"eventId\":\"bf-1\",\"source\":\"crm\",\"kind\":\"campaign\","
                    + "\"start\":\"2026-11-27T00:00:00Z\",\"end\":\"2026-11-28T00:00:00Z\",\"magnitude\":2}";

    private final KeyRing ring = Keys.ring(Keys.rotating());

    @Test
    void signsTheEventsExactTextWithTheClocksSecondAndAFreshNonceEachTime() throws Exception {
        ExternalEventSigner signer = signer(Keys.PLATFORM);

        SignedEnvelope first = signer.sign("  " + CAMPAIGN + "\n", null);
        SignedEnvelope second = signer.sign(CAMPAIGN, null);

        assertThat(first.body()).isEqualTo(CAMPAIGN);
        assertThat(first.keyId()).isEqualTo(Keys.PLATFORM);
        assertThat(first.timestamp()).isEqualTo(NOW.getEpochSecond());
        assertThat(first.nonce()).matches("[A-Za-z0-9_-]{24}").isNotEqualTo(second.nonce());
        assertThat(first.signature()).isNotEqualTo(second.signature());
        assertThat(
                        new ExternalEventVerifier(
                                        ring, Duration.ofMinutes(5), Duration.ofMinutes(1))
                                .verify(ExternalEventSigner.record(first), NOW, "test")
                                .event()
                                .tenant())
                .isEqualTo("default");
    }

    @Test
    void setsTheTenantWhenAskedAndRefusesAnEventThatNamesAnother() throws Exception {
        SignedEnvelope s = signer(Keys.NEW).sign(CAMPAIGN, "shop");

        assertThat(Json.MAPPER.readTree(s.body()).get("tenant").asText()).isEqualTo("shop");
        assertThatThrownBy(
                        () ->
                                signer(Keys.NEW)
                                        .sign(
                                                CAMPAIGN.replace("{", "{\"tenant\":\"bank\","),
                                                "shop"))
                .isInstanceOf(Rejected.class)
                .hasMessage("tenant: the event is for 'bank', not 'shop'");
    }

    @Test
    void refusesAnEventItsKeyMayNotSignForOrThatTheJobWouldReject() {
        assertThatThrownBy(() -> signer(Keys.NEW).sign(CAMPAIGN, "bank"))
                .hasMessage(
                        "tenant: key shop-2026-11 signs only events of tenant 'shop', this one is for 'bank'");
        assertThatThrownBy(() -> signer(Keys.NEW).sign(CAMPAIGN, null))
                .as("no tenant: the default tenant, which a shop key may not sign for")
                .hasMessageStartingWith("tenant: key shop-2026-11 signs only");
        assertThatThrownBy(
                        () ->
                                signer(Keys.PLATFORM)
                                        .sign(CAMPAIGN.replace("campaign", "promo"), null))
                .hasMessage(
                        "kind: 'promo' is not one of [campaign, sales-forecast, traffic, sensor, holiday, release, other]");
        assertThatThrownBy(() -> signer(Keys.PLATFORM).sign("{\"eventId\":", null))
                .hasMessageStartingWith("event: not valid JSON (");
    }

    private ExternalEventSigner signer(String keyId) {
        return new ExternalEventSigner(ring.key(keyId), InstantSource.fixed(NOW));
    }
}
