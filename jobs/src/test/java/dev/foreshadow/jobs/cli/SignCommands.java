package dev.foreshadow.jobs.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code foreshadow sign} as a user does, with a given standard input, for tests. */
public final class SignCommands {

    /** What one run printed and returned. */
    public record Run(int exitCode, String out, String err) {}

    private SignCommands() {}

    /** {@code foreshadow <args>} with {@code stdin} on standard input. */
    public static Run run(String stdin, String... args) {
        CommandLine cli = Foreshadow.commandLine();
        ((SignCommand) cli.getSubcommands().get("sign").getCommand()).in =
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The record {@code foreshadow sign --key-file F --key-id K} prints for {@code event}. */
    public static String sign(String event, List<String> args) {
        Run r = run(event, args.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("foreshadow sign failed: " + r.err());
        }
        return r.out().strip();
    }
}
