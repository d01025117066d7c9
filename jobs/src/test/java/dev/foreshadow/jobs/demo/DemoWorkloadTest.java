package dev.foreshadow.jobs.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foreshadow.connectors.json.Decoded;
import dev.foreshadow.connectors.json.EventDecoder;
import dev.foreshadow.connectors.privacy.AttributePolicy;
import dev.foreshadow.connectors.records.WorkflowEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoWorkloadTest {

    private static final Instant MIDNIGHT = Instant.parse("2026-11-20T00:00:00Z");

    @Test
    void theBundledTraceHoldsFourRealWorkflowTypesInDependencyOrder() {
        List<WfTrace.Template> templates = WfTrace.bundled();

        assertThat(templates)
                .extracting(WfTrace.Template::workflowType)
                .containsExactly("1000genome", "blast", "helloworld-chain-5", "srasearch");
        for (WfTrace.Template t : templates) {
            Set<String> seen = new HashSet<>();
            for (WfTrace.Task task : t.tasks()) {
                assertThat(seen)
                        .as(t.workflowType() + ": parents of " + task.id() + " come first")
                        .containsAll(task.parents());
                seen.add(task.id());
            }
        }
        assertThat(templates.get(3).tasks())
                .extracting(WfTrace.Task::actionType)
                .contains("fasterq-dump", "bowtie2");
    }

    @Test
    void theSameSeedGivesTheSameWorkloadAndArrivalsFollowTheDailyCycle() {
        List<WfTrace.Template> templates = WfTrace.bundled();
        DemoWorkload.Workload a =
                DemoWorkload.generate(templates, MIDNIGHT, MIDNIGHT.plus(Duration.ofDays(1)), 3, 4);
        DemoWorkload.Workload b =
                DemoWorkload.generate(templates, MIDNIGHT, MIDNIGHT.plus(Duration.ofDays(1)), 3, 4);

        assertThat(a.records()).hasSameSizeAs(b.records());
        assertThat(a.records().get(100).value()).isEqualTo(b.records().get(100).value());

        EventDecoder decoder =
                new EventDecoder(
                        AttributePolicy.defaults(),
                        Duration.ofHours(1),
                        Duration.ofDays(180),
                        InstantSource.fixed(MIDNIGHT.plus(Duration.ofDays(3))));
        int afternoon = 0;
        int night = 0;
        int rejected = 0;
        for (DemoWorkload.Record r : a.records()) {
            Decoded<WorkflowEvent> d = decoder.decode(r.value(), "t", MIDNIGHT);
            if (!d.isValid()) {
                rejected++;
            } else if (d.value().type().name().equals("WORKFLOW_STARTED")
                    && d.value().triggeredBy() == null) {
                int hour = d.value().time().atZone(java.time.ZoneOffset.UTC).getHour();
                afternoon += hour >= 12 && hour < 16 ? 1 : 0;
                night += hour < 4 ? 1 : 0;
                assertThat(d.value().attributes())
                        .containsKey("region")
                        .doesNotContainKey("submitterEmail");
            }
        }
        assertThat(rejected).isEqualTo(a.malformed());
        assertThat(afternoon).isGreaterThan(3 * night);
    }

    @Test
    void aFolderWithoutTracesIsRejected() {
        assertThatThrownBy(() -> WfTrace.read(java.nio.file.Path.of("src", "test", "java")))
                .hasMessageContaining("holds no WfFormat .json file");
        assertThatThrownBy(() -> WfTrace.parse("x.json", "{}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("is not a WfFormat 1.5 instance");
    }

    @Test
    void theDemosCampaignsDoubleTheirTypesOwnArrivalsOnEitherSideOfTheTrainingPoint() {
        List<WfTrace.Template> templates = WfTrace.bundled();
        Instant end = MIDNIGHT.plus(Duration.ofDays(2)).plus(Duration.ofHours(5));
        Instant start = end.minus(Duration.ofDays(2));
        DemoWorkload.Workload with = DemoWorkload.demo(templates, start, end, 3, 40);
        DemoWorkload.Workload without = DemoWorkload.generate(templates, start, end, 3, 40);
        Instant half = DemoWorkload.halfway(start, end);

        List<DemoWorkload.Campaign> campaigns = with.campaigns();
        assertThat(campaigns).hasSize(2);
        DemoWorkload.Campaign past = campaigns.get(0);
        DemoWorkload.Campaign later = campaigns.get(1);
        assertThat(past.workflowType()).isEqualTo("blast").isEqualTo(later.workflowType());
        assertThat(past.end()).isBefore(half);
        assertThat(later.start()).isAfter(half);
        assertThat(later.end()).isBefore(end);
        assertThat(later.announcedAt()).isEqualTo(later.start().minus(Duration.ofDays(1)));
        // both near the afternoon peak: 13:00 UTC, as the bounds allow
        assertThat(past.start().atZone(java.time.ZoneOffset.UTC).getHour()).isEqualTo(13);
        assertThat(later.start().atZone(java.time.ZoneOffset.UTC).getHour()).isEqualTo(13);

        long campaignRuns = ownStarts(with, campaigns);
        long usualRuns = ownStarts(without, campaigns);
        assertThat((double) campaignRuns / usualRuns).isBetween(1.6, 2.4);
    }

    /** Untriggered runs of the campaigns' type started during them. */
    private static long ownStarts(DemoWorkload.Workload w, List<DemoWorkload.Campaign> campaigns) {
        EventDecoder decoder =
                new EventDecoder(
                        AttributePolicy.defaults(),
                        Duration.ofHours(1),
                        Duration.ofDays(180),
                        InstantSource.fixed(MIDNIGHT.plus(Duration.ofDays(4))));
        long n = 0;
        for (DemoWorkload.Record r : w.records()) {
            Decoded<WorkflowEvent> d = decoder.decode(r.value(), "t", MIDNIGHT);
            if (!d.isValid()
                    || !d.value().type().name().equals("WORKFLOW_STARTED")
                    || d.value().triggeredBy() != null) {
                continue;
            }
            for (DemoWorkload.Campaign c : campaigns) {
                if (d.value().workflowType().equals(c.workflowType())
                        && !d.value().time().isBefore(c.start())
                        && d.value().time().isBefore(c.end())) {
                    n++;
                }
            }
        }
        return n;
    }
}
