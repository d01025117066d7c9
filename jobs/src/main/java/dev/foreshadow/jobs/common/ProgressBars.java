package dev.foreshadow.jobs.common;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import me.tongfei.progressbar.ProgressState;

/**
 * The progress of every long command (evaluations, training, benchmarks, the demo's replay, {@code
 * publish}), on standard error. On a terminal: a bar redrawn in place with the time elapsed and an
 * estimate of the time left. Otherwise (a pipe, a log file, CI): a plain line at each tenth of the
 * work and at least every 30 s, e.g. {@code replaying: 40% (10,912/27,285 events), 0:00:21 elapsed,
 * about 0:00:32 left}. {@code FORESHADOW_PROGRESS=plain} or {@code =bar} chooses either way.
 */
public final class ProgressBars {

    /** A plain line at least this often, even when a tenth of the work takes longer. */
    static final Duration PLAIN_EVERY = Duration.ofSeconds(30);

    private ProgressBars() {}

    /** A bar (or plain lines) for {@code max} steps of {@code unit} (e.g. " events"). */
    public static ProgressBar of(String task, long max, String unit) {
        ProgressBarBuilder b =
                new ProgressBarBuilder()
                        .setTaskName(task)
                        .setInitialMax(max)
                        .setUnit(unit, 1)
                        .setUpdateIntervalMillis(500);
        if (onTerminal()) {
            return b.setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .build();
        }
        return b.setRenderer((state, width) -> plainLine(state, unit))
                .setConsumer(new PlainLines(System.err))
                .build();
    }

    /**
     * Whether progress is drawn as a bar: a terminal, unless FORESHADOW_PROGRESS says otherwise.
     */
    static boolean onTerminal() {
        String chosen = System.getenv("FORESHADOW_PROGRESS");
        if ("plain".equals(chosen)) {
            return false;
        }
        return "bar".equals(chosen) || System.console() != null;
    }

    /** One plain line: task, percent, counts, elapsed and (once something is done) time left. */
    static String plainLine(ProgressState s, String unit) {
        long done = s.getCurrent();
        long max = s.getMax();
        Duration elapsed = s.getElapsedAfterStart();
        StringBuilder line = new StringBuilder(s.getTaskName()).append(": ");
        if (max > 0) {
            line.append(String.format(Locale.ROOT, "%d%% ", (int) (100 * done / max)));
        }
        line.append(String.format(Locale.ROOT, "(%,d", done));
        if (max > 0) {
            line.append(String.format(Locale.ROOT, "/%,d", max));
        }
        line.append(unit).append("), ").append(clock(elapsed)).append(" elapsed");
        if (max > 0 && done > 0 && done < max) {
            Duration left = elapsed.multipliedBy(max - done).dividedBy(done);
            line.append(", about ").append(clock(left)).append(" left");
        }
        String extra = s.getExtraMessage();
        if (extra != null && !extra.isBlank()) {
            line.append(", ").append(extra.strip());
        }
        return line.toString();
    }

    static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /**
     * Prints a rendered line when the work crossed another tenth, {@link #PLAIN_EVERY} passed, or
     * the bar closed; never the same line twice.
     */
    static final class PlainLines implements ProgressBarConsumer {

        private final PrintStream out;
        private String latest = "";
        private String printed = "";
        private int printedTenth = -1;
        private long printedAt = System.nanoTime();

        PlainLines(PrintStream out) {
            this.out = out;
        }

        @Override
        public int getMaxRenderedLength() {
            return 1000;
        }

        @Override
        public synchronized void accept(String line) {
            latest = line;
            int tenth = tenth(line);
            boolean due = System.nanoTime() - printedAt >= PLAIN_EVERY.toNanos();
            if (tenth != printedTenth || due) {
                print(line, tenth);
            }
        }

        @Override
        public synchronized void close() {
            if (!latest.equals(printed)) {
                print(latest, tenth(latest));
            }
        }

        private void print(String line, int tenth) {
            if (line.isEmpty() || line.equals(printed)) {
                return;
            }
            out.println(line);
            printed = line;
            printedTenth = tenth;
            printedAt = System.nanoTime();
        }

        /** The tenth of the work a rendered line reports (its first "N%"), or -1 when none. */
        static int tenth(String line) {
            int percent = line.indexOf("% (");
            if (percent < 0) {
                return -1;
            }
            int start = line.lastIndexOf(' ', percent) + 1;
            try {
                return Integer.parseInt(line.substring(start, percent)) / 10;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
