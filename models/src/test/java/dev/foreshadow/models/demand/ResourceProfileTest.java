package dev.foreshadow.models.demand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.foreshadow.models.demand.ResourceProfile.Action;
import dev.foreshadow.models.demand.ResourceProfile.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceProfileTest {

    /** A: 2 cores for 100 s. B: 1 core for 300 s and 4 more cores from 100 s to 200 s. */
    private static ResourceProfile twoRuns() {
        return ResourceProfile.builder("t", 10_000, 10)
                .addRun(List.of(new Action(0, 100_000, 2, 1 << 20, 0)))
                .addRun(
                        List.of(
                                new Action(0, 300_000, 1, 2 << 20, 3_000_000),
                                new Action(100_000, 100_000, 4, 0, 0)))
                .build();
    }

    @Test
    void givesTheMomentsAndQuantilesOfTheDemandByOffsetAcrossRuns() {
        ResourceProfile p = twoRuns();

        assertThat(p.runs()).isEqualTo(2);
        assertThat(p.lengthMs()).isEqualTo(300_000);
        // at 50 s: A uses 2 cores, B 1
        assertThat(p.at(Resource.CORES, 50_000).mean()).isEqualTo(1.5);
        assertThat(p.at(Resource.CORES, 50_000).variance()).isCloseTo(0.25, within(1e-12));
        assertThat(p.quantile(Resource.CORES, 50_000, 0.5)).isEqualTo(1.0);
        assertThat(p.quantile(Resource.CORES, 50_000, 0.9)).isEqualTo(2.0);
        // at 150 s: A has ended, B uses 5
        assertThat(p.at(Resource.CORES, 150_000).mean()).isEqualTo(2.5);
        assertThat(p.at(Resource.MEMORY_BYTES, 50_000).mean()).isEqualTo(1.5 * (1 << 20));
        // B moves 3 MB over 300 s: 10 kB/s, half of which is the mean over the two runs
        assertThat(p.at(Resource.NETWORK_BYTES_PER_SECOND, 50_000).mean()).isEqualTo(5_000);
        assertThat(p.at(Resource.CORES, 400_000).mean()).isZero();
    }

    @Test
    void aRunStillRunningAtAnAgeCountsOnlyTheRunsThatLastedThatLong() {
        ResourceProfile p = twoRuns();

        // at 120 s only B was still running: its 5 cores at 150 s, nothing averaged with A
        assertThat(p.conditional(Resource.CORES, 150_000, 120_000).mean()).isEqualTo(5.0);
        assertThat(p.conditional(Resource.CORES, 150_000, 120_000).variance()).isZero();
        // older than every run: the longest stands in
        assertThat(p.conditional(Resource.CORES, 250_000, 900_000).mean()).isEqualTo(1.0);
    }

    /**
     * Short runs: 2 actions in 10 minutes; long runs: 20 actions in 100 minutes; 1 core throughout,
     * as the job's profile has them (one average action per run).
     */
    private static ResourceProfile shortAndLong() {
        ResourceProfile.Builder b = ResourceProfile.builder("t", 60_000, 10);
        for (int i = 0; i < 3; i++) {
            b.addRun(List.of(new Action(0, 600_000, 1, 0, 0)), 2, evenly(2, 600_000));
            b.addRun(List.of(new Action(0, 6_000_000, 1, 0, 0)), 20, evenly(20, 6_000_000));
        }
        return b.build();
    }

    /** The progress of a run whose {@code n} actions end evenly over {@code lengthMs}. */
    private static long[] evenly(int n, long lengthMs) {
        long[] ends = new long[n];
        for (int i = 0; i < n; i++) {
            ends[i] = lengthMs * (i + 1) / n;
        }
        return ResourceProfile.progressOf(ends);
    }

    @Test
    void aRunInFlightIsPlacedByTheActionsItHasEndedAsWellAsByItsAge() {
        ResourceProfile p = shortAndLong();
        long minute = 60_000;

        // 5 minutes old with 3 actions ended: only a long run gets that far, and not before 12.5
        // minutes into it (its progress point before 3 of 20), so it is still running 20 minutes on
        assertThat(p.progressed(Resource.CORES, 20 * minute, 5 * minute, 3).mean()).isEqualTo(1.0);
        // by its age alone, half the runs alive at 5 minutes have ended by 25
        assertThat(p.conditional(Resource.CORES, 25 * minute, 5 * minute).mean()).isEqualTo(0.5);
        // 5 minutes old with 1 action ended: as far as its age says in both kinds
        assertThat(p.progressed(Resource.CORES, 3 * minute, 5 * minute, 1).mean()).isEqualTo(1.0);
        assertThat(p.progressed(Resource.CORES, 10 * minute, 5 * minute, 1).mean())
                .isEqualTo(p.conditional(Resource.CORES, 15 * minute, 5 * minute).mean());
        // 9 minutes old and no action ended: slower than any short run, so it keeps its demand
        // (a short one is placed before its first action's end at 5 minutes, 5 more ahead)
        assertThat(p.progressed(Resource.CORES, 4 * minute, 9 * minute, 0).mean()).isEqualTo(1.0);
        assertThat(p.conditional(Resource.CORES, 13 * minute, 9 * minute).mean()).isEqualTo(0.5);
        // a type whose runs' progress is not known: by age alone
        ResourceProfile unknown =
                ResourceProfile.builder("t", minute, 10)
                        .addRun(List.of(new Action(0, 600_000, 1, 0, 0)), 2, null)
                        .build();
        assertThat(unknown.progressed(Resource.CORES, 4 * minute, 9 * minute, 0))
                .isEqualTo(unknown.conditional(Resource.CORES, 13 * minute, 9 * minute));
        // more actions ended than any run had: by age alone
        assertThat(p.progressed(Resource.CORES, 10 * minute, 50 * minute, 20))
                .isEqualTo(p.conditional(Resource.CORES, 60 * minute, 50 * minute));
    }

    @Test
    void aRunsProgressIsWhenItHadEndedEachEighthOfItsActions() {
        // four actions ending at 10, 20, 30 and 80 s: half of them by 20 s, all by 80 s
        assertThat(ResourceProfile.progressOf(new long[] {80_000, 10_000, 30_000, 20_000}))
                .containsExactly(5_000, 10_000, 15_000, 20_000, 25_000, 30_000, 55_000, 80_000);
        assertThat(ResourceProfile.progressOf(new long[0])).isNull();
    }

    @Test
    void aRunInFlightIsPlacedWhereItsTypesRunsHadEndedAsManyActions() {
        // a fan-out: 9 short tasks end in the first minute, then one task runs 9 minutes more,
        // 1 core throughout
        long minute = 60_000;
        List<Action> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) {
            tasks.add(new Action(0, minute / 2 + i * 1000, 0, 0, 0));
        }
        tasks.add(new Action(0, 10 * minute, 1, 0, 0));
        ResourceProfile p = ResourceProfile.builder("t", minute, 10).addRun(tasks).build();

        // 2 minutes old with 9 ended: where its age says, 8 minutes still to go
        assertThat(p.progressed(Resource.CORES, 5 * minute, 2 * minute, 9).mean()).isEqualTo(1.0);
        // 2 minutes old and none ended (held up): its 10 minutes are still ahead of it
        assertThat(p.progressed(Resource.CORES, 9 * minute, 2 * minute, 0).mean()).isEqualTo(1.0);
        // by age alone it would be done by then
        assertThat(p.conditional(Resource.CORES, 11 * minute, 2 * minute).mean()).isZero();
    }

    @Test
    void aRunInFlightIsPlacedByThePastRunsThatWereAsFarAtItsAgeWhereThereAreAny() {
        long minute = 60_000;
        // small: 8 tasks of 1 core one after another, one a minute; large: 79 tasks of 1 core that
        // all end within the first minute, then one that runs 20 minutes
        List<Action> small = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            small.add(new Action(i * minute, minute, 1, 0, 0));
        }
        List<Action> large = new java.util.ArrayList<>();
        for (int i = 0; i < 79; i++) {
            large.add(new Action(0, minute / 2 + i * 100, 1, 0, 0));
        }
        large.add(new Action(0, 20 * minute, 1, 0, 0));
        ResourceProfile p =
                ResourceProfile.builder("t", minute, 30).addRun(small).addRun(large).build();

        // 3 minutes old with 3 tasks ended: as far as the small run was at 3 minutes; the large one
        // had ended its first tenth before 1 minute and would place it there, behind, with its long
        // task still ahead. The small run alone says: it has ended by 9 minutes
        assertThat(p.progressed(Resource.CORES, 6 * minute, 3 * minute, 3).mean()).isZero();
        // by its age alone the large run's long task is still running at 9 minutes
        assertThat(p.conditional(Resource.CORES, 9 * minute, 3 * minute).mean()).isEqualTo(0.5);
        // 3 minutes old with none ended: neither run was there at 3 minutes, so both place it
        // (the small one before its first task's end, the large one before its first tenth's)
        // and 6 minutes on the small one runs its seventh task, the large one its long task
        assertThat(p.progressed(Resource.CORES, 6 * minute, 3 * minute, 0).mean()).isEqualTo(1.0);
    }

    @Test
    void averagesTheDemandOverARangeOfOffsets() {
        ResourceProfile p = twoRuns();

        // over [0, 100 s): A 2 and B 1 throughout; over [100 s, 200 s): A 0 and B 5
        assertThat(p.average(Resource.CORES, 0, 100_000).mean()).isCloseTo(1.5, within(1e-12));
        assertThat(p.average(Resource.CORES, 100_000, 200_000).mean())
                .isCloseTo(2.5, within(1e-12));
        assertThat(p.average(Resource.CORES, 50_000, 150_000).mean()).isCloseTo(2.0, within(1e-12));
    }
}
