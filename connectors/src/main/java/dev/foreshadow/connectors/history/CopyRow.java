package dev.foreshadow.connectors.history;

import dev.foreshadow.connectors.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Encodes rows in PostgreSQL's COPY text format (tab-separated, {@code \N} for null, backslash
 * escapes) straight into a byte buffer: the fastest way into PostgreSQL from Java, with no per-row
 * statement.
 */
public final class CopyRow {

    private final ByteArrayOutputStream out;
    private boolean firstColumn = true;

    CopyRow(ByteArrayOutputStream out) {
        this.out = out;
    }

    public CopyRow text(String value) {
        separator();
        if (value == null) {
            out.write('\\');
            out.write('N');
        } else {
            escape(value);
        }
        return this;
    }

    public CopyRow number(long value) {
        return raw(Long.toString(value));
    }

    public CopyRow number(double value) {
        // COPY accepts NaN and Infinity for double precision; the validation keeps them out of
        // samples anyway
        return raw(Double.toString(value));
    }

    public CopyRow bool(boolean value) {
        return raw(value ? "t" : "f");
    }

    public CopyRow time(Instant value) {
        return value == null ? text(null) : raw(value.toString());
    }

    /** A {@code text[]} literal, each element double-quoted. */
    public CopyRow textArray(List<String> values) {
        StringBuilder b = new StringBuilder(values.size() * 12 + 2).append('{');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append('"');
            String v = values.get(i);
            for (int j = 0; j < v.length(); j++) {
                char c = v.charAt(j);
                if (c == '"' || c == '\\') {
                    b.append('\\');
                }
                b.append(c);
            }
            b.append('"');
        }
        return text(b.append('}').toString());
    }

    /** A {@code double precision[]} literal. */
    public CopyRow numberArray(double[] values) {
        StringBuilder b = new StringBuilder(values.length * 8 + 2).append('{');
        for (int i = 0; i < values.length; i++) {
            b.append(i > 0 ? "," : "").append(values[i]);
        }
        return text(b.append('}').toString());
    }

    public CopyRow json(Map<String, String> value) {
        return text(value.isEmpty() ? "{}" : Json.string(value));
    }

    /** A value as its JSON text, or null. */
    public CopyRow jsonOf(Object value) {
        return text(value == null ? null : Json.string(value));
    }

    void end() {
        out.write('\n');
        firstColumn = true;
    }

    private CopyRow raw(String ascii) {
        separator();
        for (int i = 0; i < ascii.length(); i++) {
            out.write(ascii.charAt(i));
        }
        return this;
    }

    private void separator() {
        if (!firstColumn) {
            out.write('\t');
        }
        firstColumn = false;
    }

    private void escape(String value) {
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String escaped =
                    switch (c) {
                        case '\\' -> "\\\\";
                        case '\t' -> "\\t";
                        case '\n' -> "\\n";
                        case '\r' -> "\\r";
                        default -> null;
                    };
            if (escaped != null) {
                writeUtf8(value, start, i);
                writeUtf8(escaped, 0, escaped.length());
                start = i + 1;
            }
        }
        writeUtf8(value, start, value.length());
    }

    private void writeUtf8(String s, int from, int to) {
        boolean ascii = true;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            for (int i = from; i < to; i++) {
                out.write(s.charAt(i));
            }
        } else {
            out.writeBytes(s.substring(from, to).getBytes(StandardCharsets.UTF_8));
        }
    }
}
