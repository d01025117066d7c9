package dev.foreshadow.models.simulation;

import dev.foreshadow.models.demand.AnnouncedEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * External events read from a CSV {@code start,end,kind,magnitude,workflow_types} (ISO-8601
 * instants, types separated by {@code ;}), each announced {@code announceLeadMs} before it starts,
 * as it would reach the forecaster through the external-events topic. A malformed line is rejected
 * with its number and what was wrong.
 */
public final class EventsFile {

    private EventsFile() {}

    public static List<AnnouncedEvent> read(Path file, long announceLeadMs) throws IOException {
        List<AnnouncedEvent> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !header.strip().startsWith("start,end,kind,magnitude")) {
                throw new IllegalArgumentException(
                        file
                                + ": the first line must be the header start,end,kind,magnitude,workflow_types");
            }
            String line;
            int number = 1;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != 5) {
                    throw bad(file, number, "expected start,end,kind,magnitude,workflow_types");
                }
                long start;
                long end;
                try {
                    start = Instant.parse(f[0].strip()).toEpochMilli();
                    end = Instant.parse(f[1].strip()).toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw bad(file, number, "start and end must be ISO-8601 instants");
                }
                if (end <= start) {
                    throw bad(file, number, "the event ends before it starts");
                }
                double magnitude;
                try {
                    magnitude = Double.parseDouble(f[3].strip());
                } catch (NumberFormatException e) {
                    throw bad(file, number, "magnitude " + f[3] + " is not a number");
                }
                if (!Double.isFinite(magnitude) || magnitude < 0) {
                    throw bad(file, number, "magnitude " + f[3] + " must be a number >= 0");
                }
                LinkedHashSet<String> types = new LinkedHashSet<>();
                Arrays.stream(f[4].split(";"))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .forEach(types::add);
                if (f[2].isBlank() || types.isEmpty()) {
                    throw bad(file, number, "an event needs a kind and at least one workflow type");
                }
                out.add(
                        new AnnouncedEvent(
                                f[2].strip(),
                                start,
                                end,
                                magnitude,
                                types,
                                start - announceLeadMs));
            }
        }
        out.sort(Comparator.comparingLong(AnnouncedEvent::startMs));
        return out;
    }

    private static IllegalArgumentException bad(Path file, int line, String what) {
        return new IllegalArgumentException(file + " line " + line + ": " + what);
    }
}
