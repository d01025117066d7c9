package dev.foreshadow.connectors.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL of the provisioned Grafana dashboards ({@code grafana/dashboards/*.json}), as Grafana
 * would send it for a time range and values of the dashboard's variables. Input: the range and the
 * variables' values. Output: each panel target's and variable's query by "dashboard / panel /
 * refId" (or "dashboard / $variable"), with the macros the dashboards use ({@code
 * $__timeFilter(column)}) and the variables expanded.
 */
final class Dashboards {

    static final Path DIR = Path.of("..", "grafana", "dashboards");

    private static final Pattern TIME_FILTER = Pattern.compile("\\$__timeFilter\\(([^)]+)\\)");

    private Dashboards() {}

    static Map<String, String> queries(Instant from, Instant to, Map<String, String> variables)
            throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        List<Path> files;
        try (var list = Files.list(DIR)) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : files) {
            JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
            String name = dashboard.path("title").asText();
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                out.put(
                        name + " / $" + variable.path("name").asText(),
                        expand(variable.path("query").asText(), from, to, variables));
            }
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    out.put(
                            name
                                    + " / "
                                    + panel.path("title").asText()
                                    + " / "
                                    + target.path("refId").asText(),
                            expand(target.path("rawSql").asText(), from, to, variables));
                }
            }
        }
        return out;
    }

    /** The panels of every dashboard: title and type. */
    static Map<String, String> panels() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (var list = Files.list(DIR)) {
            for (Path file : list.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                for (JsonNode panel : new ObjectMapper().readTree(file.toFile()).path("panels")) {
                    out.put(panel.path("title").asText(), panel.path("type").asText());
                }
            }
        }
        return out;
    }

    private static String expand(
            String sql, Instant from, Instant to, Map<String, String> variables) {
        String out =
                TIME_FILTER
                        .matcher(sql)
                        .replaceAll(
                                m ->
                                        Matcher.quoteReplacement(
                                                m.group(1)
                                                        + " BETWEEN '"
                                                        + from
                                                        + "' AND '"
                                                        + to
                                                        + "'"));
        for (Map.Entry<String, String> v : variables.entrySet()) {
            out = out.replace("$" + v.getKey(), v.getValue().replace("'", "''"));
        }
        return out;
    }
}
