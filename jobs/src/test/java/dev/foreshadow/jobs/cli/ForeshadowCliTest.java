package dev.foreshadow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
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
            quoteCharacter = '"',
            value = {
                "demo --speed 0                 | foreshadow: --speed must be a positive number, got 0.0",
                "demo --days 0                  | foreshadow: --days must be from 1 to 60, got 0",
                "demo --trace /no/such/dir      | foreshadow: --trace /no/such/dir is not a directory",
                "demo --speed fast              | foreshadow: Invalid value for option '--speed': 'fast' is not a double (see foreshadow demo --help)",
                "run --config /no/such/file     | foreshadow: --config /no/such/file is not a file",
                "run -D history.retension=1d    | foreshadow: unknown setting history.retension (see the README's configuration table)",
                "eval workflow-anomalies --min-change -1 | foreshadow: --min-change must be a number >= 0, got -1.0",
                "eval workflow-anomalies --direction up | foreshadow: --direction must be above, below or both, got 'up'",
                "bench sink --rows 0            | foreshadow: --rows, --batch and --rounds must be positive, and --rows at least --rounds",
                "bench detector --rounds 0      | foreshadow: --rounds must be positive, got 0",
                "frobnicate                     | foreshadow: Unmatched argument at index 0: 'frobnicate' (see foreshadow --help)",
                "publish --trace bundled        | foreshadow: Missing required option: '--bootstrap-servers=HOST:PORT' (see foreshadow publish --help)",
                "publish --bootstrap-servers k:9092 | \"foreshadow: Missing required argument (specify one of these): (--trace=DIR | --file=EVENTS.jsonl) (see foreshadow publish --help)\"",
                "publish --bootstrap-servers kafka --trace bundled | foreshadow: --bootstrap-servers: 'kafka' is not HOST:PORT",
                "publish --bootstrap-servers k:9092 --file /no/such.jsonl | foreshadow: --file /no/such.jsonl is not a file",
                "publish --bootstrap-servers k:9092 --trace /no/such/dir | foreshadow: --trace /no/such/dir is not a directory (or `bundled`)",
                "publish --bootstrap-servers k:9092 --trace bundled --speed -1 | foreshadow: --speed must be a positive number, got -1.0",
                "stack --partitions 0           | foreshadow: --partitions must be from 1 to 64, got 0",
            })
    void rejectsBadInputWithOneLine(String args, String expected) {
        StringWriter err = new StringWriter();
        CommandLine cli = Foreshadow.commandLine();
        cli.setErr(new PrintWriter(err));

        int code = cli.execute(args.trim().split("\\s+"));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip().lines()).containsExactly(expected);
    }

    @Test
    void everyCommandsHelpShowsItsOptionsAndAnExampleOfIt() {
        List<CommandLine> all = new ArrayList<>();
        collect(Foreshadow.commandLine(), all);
        assertThat(all).hasSizeGreaterThanOrEqualTo(15);
        for (CommandLine command : all) {
            String name = command.getCommandSpec().qualifiedName();
            StringWriter out = new StringWriter();
            CommandLine cli = Foreshadow.commandLine();
            cli.setOut(new PrintWriter(out));
            List<String> args =
                    new ArrayList<>(List.of(name.split(" ")).subList(1, name.split(" ").length));
            args.add("--help");

            int code = cli.execute(args.toArray(String[]::new));

            assertThat(code).as(name + " --help").isZero();
            assertThat(out.toString())
                    .as(name + " --help")
                    .contains("Usage: " + name)
                    .containsPattern("Examples?:\\R  (\\./foreshadow|flink run) ");
        }
    }

    private static void collect(CommandLine command, List<CommandLine> all) {
        all.add(command);
        // an alias (run) and a command reachable twice (run allocate) are the same command
        command.getSubcommands().values().stream()
                .distinct()
                .filter(
                        c ->
                                all.stream()
                                        .noneMatch(
                                                a ->
                                                        a.getCommandSpec()
                                                                .qualifiedName()
                                                                .equals(
                                                                        c.getCommandSpec()
                                                                                .qualifiedName())))
                .forEach(c -> collect(c, all));
    }
}
