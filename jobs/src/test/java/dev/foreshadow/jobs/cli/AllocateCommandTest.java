package dev.foreshadow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code allocate} and {@code run allocate} reject bad input with one line and exit code 2. */
class AllocateCommandTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "allocate --config /no/such/file | foreshadow: --config /no/such/file is not a file",
                "run allocate --config /no/such/file | foreshadow: --config /no/such/file is not a file",
                "allocate -D allocation.pools=a -D allocation.pool.a.manager=cloud | foreshadow: allocation.pool.a.manager: 'cloud' is not simulated, kubernetes or autoscaling",
                "run allocate -D allocation.pools=a | foreshadow: allocation.pool.a.manager is missing: simulated, kubernetes or autoscaling",
                "allocate | foreshadow: allocation.pools is empty: name at least one pool (allocation.pools: shop/orders)",
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
