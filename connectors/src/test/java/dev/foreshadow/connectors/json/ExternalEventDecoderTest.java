package dev.foreshadow.connectors.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foreshadow.connectors.records.ExternalEvent;
import dev.foreshadow.models.domain.ExternalEventKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The body of a signed external event: what it may hold, and each rejection naming its field. */
class ExternalEventDecoderTest {

    private static final Instant SIGNED_AT = Instant.parse("2026-11-20T09:00:00Z");
    private static final String CAMPAIGN =
            "{\"eventId\":\"bf-1\",\"tenant\":\"shop\",\"source\":\"crm\",\"kind\":\"campaign\","
                    + "\"start\":\"2026-11-27T00:00:00Z\",\"end\":\"2026-11-28T00:00:00Z\","
                    + "\"magnitude\":2.5,\"workflowTypes\":[\"order-fulfilment\",\"refund\"],"
                    + "\"announcedAt\":\"2026-11-19T12:00:00Z\",\"campaignOwner\":\"ignored\"}";

    private final ExternalEventDecoder decoder =
            new ExternalEventDecoder("body", Duration.ofMinutes(1));

    @Test
    void decodesEveryFieldAndIgnoresUnknownOnes() throws Exception {
        assertThat(decoder.decode(CAMPAIGN, SIGNED_AT))
                .isEqualTo(
                        new ExternalEvent(
                                "bf-1",
                                "shop",
                                "crm",
                                "campaign",
                                Instant.parse("2026-11-27T00:00:00Z"),
                                Instant.parse("2026-11-28T00:00:00Z"),
                                2.5,
                                List.of("order-fulfilment", "refund"),
                                Instant.parse("2026-11-19T12:00:00Z")));
    }

    @Test
    void defaultsTheTenantTheAffectedTypesAndTheAnnouncementToTheSigningTime() throws Exception {
        ExternalEvent e =
                decoder.decode(
                        "{\"eventId\":\"s-1\",\"source\":\"weather\",\"kind\":\"sensor\",\"start\":1795000000000,"
                                + "\"end\":1795003600000,\"magnitude\":0}",
                        SIGNED_AT);

        assertThat(e.tenant()).isEqualTo("default");
        assertThat(e.workflowTypes()).isEmpty();
        assertThat(e.announcedAt()).isEqualTo(SIGNED_AT);
        assertThat(e.start()).isEqualTo(Instant.ofEpochMilli(1_795_000_000_000L));
        assertThat(e.magnitude()).isZero();
    }

    @Test
    void acceptsEveryKnownKind() throws Exception {
        for (String kind : ExternalEventKind.wireNames()) {
            assertThat(decoder.decode(CAMPAIGN.replace("campaign", kind), SIGNED_AT).kind())
                    .isEqualTo(kind);
        }
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "\"eventId\":\"bf-1\",                       | \"eventId\":\" \",                    | body.eventId: is missing",
                "\"tenant\":\"shop\"                         | \"tenant\":\"a/b\"                    | body.tenant: may not contain '/'",
                "\"source\":\"crm\"                          | \"source\":7                          | body.source: expected a string, got a number",
                "\"kind\":\"campaign\"                       | \"kind\":\"promo\"                    | body.kind: 'promo' is not one of [campaign, sales-forecast, traffic, sensor, holiday, release, other]",
                "\"kind\":\"campaign\",                      | ''                                    | body.kind: is missing",
                "\"start\":\"2026-11-27T00:00:00Z\"          | \"start\":\"next friday\"             | body.start: 'next friday' is not an ISO-8601 instant",
                "\"end\":\"2026-11-28T00:00:00Z\"            | \"end\":\"2026-11-27T00:00:00Z\"      | body.end: 2026-11-27T00:00:00Z is not after body.start (2026-11-27T00:00:00Z)",
                "\"end\":\"2026-11-28T00:00:00Z\"            | \"end\":\"2028-01-01T00:00:00Z\"      | body.end: 2028-01-01T00:00:00Z is more than 366 days after the event was signed (2026-11-20T09:00:00Z)",
                "\"start\":\"2026-11-27T00:00:00Z\"          | \"start\":\"-999999-01-01T00:00:00Z\" | body.start: -999999-01-01T00:00:00Z lies outside the years 1970 to 9999",
                "\"announcedAt\":\"2026-11-19T12:00:00Z\"    | \"announcedAt\":0                   | body.announcedAt: 1970-01-01T00:00:00Z is more than 366 days before the event was signed (2026-11-20T09:00:00Z)",
                "\"magnitude\":2.5                           | \"magnitude\":-1                      | body.magnitude: is -1.0, not from 0.0 to 1000.0",
                "\"magnitude\":2.5                           | \"magnitude\":NaN                     | body.magnitude: is NaN, not a finite number",
                "\"magnitude\":2.5                           | \"magnitude\":\"2x\"                  | body.magnitude: expected a number, got a string",
                "\"magnitude\":2.5                           | \"magnitude\":1e6                     | body.magnitude: is 1000000.0, not from 0.0 to 1000.0",
                "\"refund\"                                  | \"re\\u0000fund\"                     | body.workflowTypes[1]: contains a control character",
                "\"refund\"                                  | 7                                     | body.workflowTypes[1]: expected a string, got a number",
                "\"announcedAt\":\"2026-11-19T12:00:00Z\"    | \"announcedAt\":\"2026-11-20T09:01:01Z\" | body.announcedAt: 2026-11-20T09:01:01Z is after the event was signed (2026-11-20T09:00:00Z)",
            })
    void rejectsAnInvalidFieldNamingIt(String valid, String invalid, String reason) {
        String json = CAMPAIGN.replace(valid, invalid);
        assertThat(json).as("the fixture holds " + valid).isNotEqualTo(CAMPAIGN);

        assertThatThrownBy(() -> decoder.decode(json, SIGNED_AT))
                .isInstanceOf(Rejected.class)
                .hasMessage(reason);
    }

    @Test
    void rejectsWhatIsNotAnEventObject() {
        assertThatThrownBy(() -> decoder.decode("[]", SIGNED_AT))
                .hasMessage("body: expected a JSON object, got an array");
        assertThatThrownBy(() -> decoder.decode("{\"eventId\"", SIGNED_AT))
                .hasMessageStartingWith("body: not valid JSON (");
        assertThatThrownBy(() -> decoder.decode(" ", SIGNED_AT)).hasMessage("body: is empty");
        assertThatThrownBy(
                        () -> decoder.decode(CAMPAIGN.replace("{", "{\"magnitude\":1,"), SIGNED_AT))
                .as("a field given twice could be read two ways")
                .hasMessage("body.magnitude: is given twice");
        assertThatThrownBy(() -> new ExternalEventDecoder("", Duration.ZERO).decode("7", SIGNED_AT))
                .hasMessage("event: expected a JSON object, got a number");
    }
}
