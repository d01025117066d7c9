package dev.foreshadow.connectors.history;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * How one record type becomes rows of one history table: the table, its columns in COPY order, its
 * time column, and an encoder. The encoder writes the columns in the order of {@code columns}.
 */
public record HistoryTable<T>(
        String name, List<String> columns, TimeOf<T> timeOf, Encoder<T> encoder)
        implements Serializable {

    /** The partitioning time of a row. */
    public interface TimeOf<T> extends Serializable {
        Instant timeOf(T row);
    }

    /** Writes one row's columns. */
    public interface Encoder<T> extends Serializable {
        void encode(T row, CopyRow out);
    }

    public HistoryTable {
        columns = List.copyOf(columns);
    }

    /** The rows in COPY text format, as {@code COPY name (columns) FROM STDIN} reads them. */
    public byte[] copyText(Iterable<T> rows) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1 << 16);
        CopyRow row = new CopyRow(out);
        for (T r : rows) {
            encoder.encode(r, row);
            row.end();
        }
        return out.toByteArray();
    }

    /** The COPY statement that loads this table's columns into {@code into}. */
    public String copySql(String into) {
        return "COPY " + into + " (" + String.join(", ", columns) + ") FROM STDIN";
    }
}
