package dev.foreshadow.models.domain;

/** The rules that make the key encodings of this package unambiguous. */
final class Ids {

    /** Separates the parts of {@link WorkloadKey}'s encoding; never inside an identifier. */
    static final char SEPARATOR = '\u0000';

    private Ids() {}

    static String require(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        return value;
    }

    /** The index of the one separator {@code c} of {@code encoded}, or an error naming it. */
    static int split(String what, String encoded, char c) {
        int at = encoded == null ? -1 : encoded.indexOf(c);
        if (at < 0) {
            throw new IllegalArgumentException("not a " + what + ": " + encoded);
        }
        return at;
    }
}
