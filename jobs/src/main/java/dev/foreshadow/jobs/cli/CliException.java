package dev.foreshadow.jobs.cli;

/**
 * A rejected command-line input: its message is printed as one line, and the command exits with
 * code 2.
 */
public final class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }
}
