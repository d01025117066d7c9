package dev.foreshadow.models.lifecycle;

import static dev.foreshadow.models.lifecycle.InstanceState.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InstanceStateTest {

    @Test
    void theMainLineRunsFromRequestedToReleased() {
        assertThat(REQUESTED.canMoveTo(PROVISIONING)).isTrue();
        assertThat(PROVISIONING.canMoveTo(WARMING)).isTrue();
        assertThat(WARMING.canMoveTo(READY)).isTrue();
        assertThat(READY.canMoveTo(IN_SERVICE)).isTrue();
        assertThat(IN_SERVICE.canMoveTo(DRAINING)).isTrue();
        assertThat(DRAINING.canMoveTo(RELEASED)).isTrue();
    }

    @Test
    void onlyAValidatedInstanceServesAndAFailedOneNeverDoes() {
        for (InstanceState s : values()) {
            assertThat(s.canMoveTo(IN_SERVICE)).as(s + " -> in-service").isEqualTo(s == READY);
            assertThat(s.canMoveTo(READY)).as(s + " -> ready").isEqualTo(s == WARMING);
        }
        assertThat(FAILED.pathTo(IN_SERVICE)).isEmpty();
        assertThat(FAILED.pathTo(RELEASED)).contains(java.util.List.of(RELEASED));
    }

    @Test
    void everyStateButReleasedMayFailAndNothingFollowsReleased() {
        for (InstanceState s : EnumSet.complementOf(EnumSet.of(FAILED, RELEASED))) {
            assertThat(s.canMoveTo(FAILED)).as(s + " -> failed").isTrue();
        }
        for (InstanceState s : values()) {
            assertThat(RELEASED.canMoveTo(s)).isFalse();
        }
    }

    @Test
    void noStateComesBackToItself() {
        for (InstanceState s : values()) {
            assertThat(s.canMoveTo(s)).isFalse();
            for (InstanceState next : values()) {
                if (s.canMoveTo(next)) {
                    assertThat(next.pathTo(s)).as(next + " back to " + s).isEmpty();
                }
            }
        }
    }

    @Test
    void anObservationSeveralStepsAheadIsReachedThroughTheStepsBetween() {
        assertThat(REQUESTED.pathTo(IN_SERVICE))
                .contains(java.util.List.of(PROVISIONING, WARMING, READY, IN_SERVICE));
        assertThat(IN_SERVICE.pathTo(WARMING)).isEmpty();
        assertThat(READY.pathTo(READY)).contains(java.util.List.of());
    }

    @Test
    void activeInstancesAreThoseAskedForAndNotGivenUp() {
        Set<InstanceState> active = EnumSet.noneOf(InstanceState.class);
        for (InstanceState s : values()) {
            if (s.isActive()) {
                active.add(s);
            }
        }
        assertThat(active)
                .containsExactlyInAnyOrder(REQUESTED, PROVISIONING, WARMING, READY, IN_SERVICE);
        assertThat(ofWireName("in-service")).isEqualTo(IN_SERVICE);
    }
}
