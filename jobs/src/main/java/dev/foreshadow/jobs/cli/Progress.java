package dev.foreshadow.jobs.cli;

import dev.foreshadow.jobs.common.ProgressBars;
import me.tongfei.progressbar.ProgressBar;

/**
 * The progress of long commands on standard error: a bar with the time left on a terminal, plain
 * lines otherwise ({@link ProgressBars}).
 */
final class Progress {

    private Progress() {}

    static ProgressBar bar(String task, long max) {
        return ProgressBars.of(task, max, "");
    }
}
