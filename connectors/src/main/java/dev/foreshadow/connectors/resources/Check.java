package dev.foreshadow.connectors.resources;

import java.io.Serializable;

/** The outcome of a probe or a check, with what it saw. */
public record Check(boolean passed, String detail) implements Serializable {

    public static Check passed(String detail) {
        return new Check(true, detail);
    }

    public static Check failed(String detail) {
        return new Check(false, detail);
    }
}
