package dev.foreshadow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * Every rejected command-line input ends with one line that says what was wrong, and exit code 2.
 */
class ForeshadowCliTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "demo --speed 0                 | foreshadow: --speed must be a positive number, got 0.0",
                "demo --days 0                  | foreshadow: --days must be from 1 to 60, got 0",
                "demo --trace /no/such/dir      | foreshadow: --trace /no/such/dir is not a directory",
                "demo --speed fast              | foreshadow: Invalid value for option '--speed': 'fast' is not a double",
                "run --config /no/such/file     | foreshadow: --config /no/such/file is not a file",
                "run -D history.retension=1d    | foreshadow: unknown setting history.retension (see the README's configuration table)",
                "eval workflow-anomalies --min-change -1 | foreshadow: --min-change must be a number >= 0, got -1.0",
                "eval workflow-anomalies --direction up | foreshadow: --direction must be above, below or both, got 'up'",
                "bench sink --rows 0            | foreshadow: --rows, --batch and --rounds must be positive, and --rows at least --rounds",
                "bench detector --rounds 0      | foreshadow: --rounds must be positive, got 0",
                "frobnicate                     | foreshadow: Unmatched argument at index 0: 'frobnicate'",
            })
    void rejectsBadInputWithOneLine(String args, String expected) {
        StringWriter err = new StringWriter();
        CommandLine cli = Foreshadow.commandLine();
        cli.setErr(new PrintWriter(err));

        int code = cli.execute(args.trim().split("\\s+"));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip().lines()).containsExactly(expected);
    }
}
