package dev.foreshadow.jobs.cli;

import dev.foreshadow.connectors.external.ExternalEventSigner;
import dev.foreshadow.connectors.json.Rejected;
import dev.foreshadow.connectors.records.SignedEnvelope;
import dev.foreshadow.connectors.signing.KeyRing;
import dev.foreshadow.connectors.signing.SigningKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foreshadow sign --key-file F --key-id K [--tenant T] < event.json}: reads an external
 * event's JSON on standard input and prints its signed record, one line of JSON to publish on
 * {@code external-events} ({@link ExternalEventSigner} checks and signs it).
 */
@Command(
        name = "sign",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {
            "  ./foreshadow sign --key-file crm.keys --key-id crm-2026-11 --tenant shop < event.json"
        },
        description =
                "Sign an external event (its JSON on standard input); prints the record to publish on"
                        + " external-events.")
final class SignCommand implements Callable<Integer> {

    @Option(
            names = "--key-file",
            required = true,
            paramLabel = "FILE",
            description = "Key file: lines of <key id> <tenant or *> <base64 secret>.")
    Path keyFile;

    @Option(
            names = "--key-id",
            required = true,
            paramLabel = "ID",
            description = "The id of the key to sign with.")
    String keyId;

    @Option(
            names = "--tenant",
            paramLabel = "TENANT",
            description = "Sets the event's tenant (the key must sign for it).")
    String tenant;

    @Spec CommandSpec spec;

    /** Standard input, unless a test gives another. */
    InputStream in = System.in;

    @Override
    public Integer call() throws IOException {
        KeyRing keys;
        try {
            keys = KeyRing.read(keyFile, "--key-file");
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        SigningKey key = keys.key(keyId);
        if (key == null) {
            throw new CliException(
                    "--key-id "
                            + keyId
                            + " is not in --key-file "
                            + keyFile
                            + " (it holds "
                            + String.join(", ", keys.keyIds())
                            + ")");
        }
        String event = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (event.isBlank()) {
            throw new CliException(
                    "no event on standard input (./foreshadow sign --key-file F --key-id K < event.json)");
        }
        SignedEnvelope signed;
        try {
            signed = new ExternalEventSigner(key, InstantSource.system()).sign(event, tenant);
        } catch (Rejected e) {
            throw new CliException("the event on standard input: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(new String(ExternalEventSigner.record(signed), StandardCharsets.UTF_8));
        out.flush();
        return 0;
    }
}
