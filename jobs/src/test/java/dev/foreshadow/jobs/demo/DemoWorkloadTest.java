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
}
