package dev.foreshadow.connectors.json;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Seeded generator of hostile input for the decoders: valid events mixed with bad ones of every
 * class the hostile-input acceptance lists (truncated JSON, wrong types, huge strings, deep
 * nesting, NaN, infinities and negative metrics, odd and invalid unicode, duplicate keys, far
 * times, unknown enum values, two events in one record, trailing garbage, implausible metrics, too
 * many attributes, reserved tenants) and the classes JSON conformance suites list (trailing commas,
 * lone surrogates, control characters, {@code 1e999}, {@code -01}, byte order marks, unclosed
 * structures, a top level that is not an object). Each case says which field its rejection must
 * name ({@code null} for a valid one). Valid ones include odd but valid unicode and events that
 * reuse another tenant's run id, which must stay apart from that run.
 */
public final class HostileInput {

    /**
     * One record.
     *
     * @param kind what was done to it, for failure messages
     * @param field the field the dead letter's reason must start with, or null for a valid event
     * @param eventId the valid event's id, or null
     * @param tenant the valid event's tenant, or null
     */
    public record Case(String kind, byte[] bytes, String field, String eventId, String tenant) {
        public boolean valid() {
            return field == null;
        }
    }

    /** The tenants of the valid events; each run id is used by both. */
    public static final List<String> TENANTS = List.of("shop", "bank");

    private static final String[] UNICODE = {
        "caf\u00e9 \u2615", "\u05e9\u05dc\u05d5\u05dd", "\ud83d\ude80\ud83c\udf89", "e\u0301\u0308",
        "\u6f22\u5b57\u30c6\u30b9\u30c8", "\u200b\u200d\ufeffzero-width", "tab\there", "line\nbreak"
    };

    private static final String[] METRICS = {
        "durationMs",
        "cpuSeconds",
        "peakCores",
        "peakMemoryBytes",
        "networkInBytes",
        "networkOutBytes",
        "bytesRead",
        "bytesWritten"
    };

    private final SplittableRandom random;
    private final Instant now;
    private final String prefix;
    private final int maxDepth;
    private int run;

    /**
     * @param prefix starts every event and run id, so that generators of several tests never
     *     collide
     * @param now the clock of the decoder: valid events lie in the hour before it
     */
    public HostileInput(long seed, Instant now, String prefix) {
        this.random = new SplittableRandom(seed);
        this.now = now;
        this.prefix = prefix;
        this.maxDepth = InputOptions.MAX_DEPTH.defaultValue();
    }

    /** {@code bad} hostile records and about one valid one per five, in a random order. */
    public List<Case> cases(int bad, boolean withOversized) {
        List<Case> out = new ArrayList<>();
        generate(bad, withOversized, out::add);
        return out;
    }

    /** As {@link #cases}, one at a time, keeping none (100k records would fill the heap). */
    public void generate(int bad, boolean withOversized, java.util.function.Consumer<Case> each) {
        int badMade = 0;
        for (int i = 0; badMade < bad; i++) {
            Case c = next(i, withOversized);
            each.accept(c);
            if (!c.valid()) {
                badMade++;
            }
        }
    }

    /** The {@code i}-th case. */
    Case next(int i, boolean withOversized) {
        int kind = random.nextInt(40);
        return switch (kind) {
            case 0, 1, 2, 3 -> valid(i, false);
            case 4, 5 -> valid(i, true);
            case 6 -> truncated(i);
            case 7, 8 -> wrongType(i);
            case 9 -> hugeString(i, withOversized && random.nextInt(200) == 0);
            case 10 -> deep(i);
            case 11, 12 -> nonFinite(i);
            case 13, 14 -> badUnicode(i);
            case 15 -> duplicate(i);
            case 16 -> farTime(i);
            case 17 -> unknownType(i);
            case 18 -> twoValues(i);
            case 19 -> implausible(i);
            case 20, 21 -> conformance(i);
            case 22 -> tooManyAttributes(i);
            case 23 -> reservedTenant(i);
            case 24 -> hugeNumber(i);
            case 25 -> missing(i);
            case 26 -> controlInId(i);
            default -> kind % 2 == 0 ? valid(i, random.nextBoolean()) : wrongType(i);
        };
    }

    /** A valid event as an ordered map; {@code odd} gives it unusual but valid unicode. */
    Map<String, Object> event(int i, String tenant, boolean odd) {
        if (i % 4 == 0) {
            run = i;
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", prefix + "-e" + i);
        e.put("type", "ACTION_FINISHED");
        e.put("time", now.minusMillis(1 + random.nextLong(Duration.ofMinutes(50).toMillis())));
        e.put("tenant", tenant);
        e.put("workflowType", "fuzz");
        e.put("runId", prefix + "-r" + run);
        e.put("actionType", "step-" + random.nextInt(3));
        e.put("actionId", prefix + "-a" + i);
        e.put("attempt", 1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("durationMs", 1 + random.nextInt(60_000));
        m.put("cpuSeconds", random.nextDouble() * 10);
        m.put("peakCores", random.nextDouble() * 4);
        m.put("peakMemoryBytes", random.nextLong(1L << 34));
        m.put("networkInBytes", random.nextInt(1 << 20));
        m.put("networkOutBytes", random.nextInt(1 << 20));
        m.put("bytesRead", random.nextInt(1 << 24));
        m.put("bytesWritten", random.nextInt(1 << 24));
        e.put("metrics", m);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("region", "eu-west-" + random.nextInt(3));
        a.put("note", odd ? UNICODE[random.nextInt(UNICODE.length)] : "fine");
        e.put("attributes", a);
        return e;
    }

    private Case valid(int i, boolean odd) {
        // every fourth run id is shared by the two tenants: two runs that must stay apart
        String tenant = TENANTS.get(i % 4 == 1 ? 1 : 0);
        Map<String, Object> e = event(i, tenant, odd);
        return new Case(
                odd ? "valid, odd unicode" : "valid",
                json(e),
                null,
                (String) e.get("eventId"),
                tenant);
    }

    private Case bad(String kind, String text, String field) {
        return new Case(kind, text.getBytes(UTF_8), field, null, null);
    }

    private Case truncated(int i) {
        String text = text(event(i, "shop", false));
        return bad("truncated", text.substring(0, random.nextInt(text.length() - 1)), "event");
    }

    private Case wrongType(int i) {
        Map<String, Object> e = event(i, "shop", false);
        String[][] choices = {
            {"eventId", "number"},
            {"time", "boolean"},
            {"type", "number"},
            {"tenant", "array"},
            {"runId", "object"},
            {"workflowType", "boolean"},
            {"metrics", "string"},
            {"metrics.cpuSeconds", "string"},
            {"metrics.durationMs", "boolean"},
            {"attempt", "string"},
            {"attempt", "fraction"},
            {"attributes", "array"},
            {"attributes.note", "object"},
            {"security", "number"},
            {"security.certifications", "string"},
            {"cost.amount", "string"},
            {"cost.currency", "number"},
            {"triggeredBy", "array"}
        };
        String[] choice = choices[random.nextInt(choices.length)];
        Object value =
                switch (choice[1]) {
                    case "number" -> random.nextInt(1000);
                    case "boolean" -> random.nextBoolean();
                    case "array" -> List.of(1, 2);
                    case "object" -> Map.of("x", 1);
                    case "fraction" -> 1.5;
                    default -> "not-a-number";
                };
        if (choice[0].equals("security.certifications")) {
            e.put("security", new LinkedHashMap<>(Map.of("certifications", value)));
        } else if (choice[0].startsWith("cost.")) {
            Map<String, Object> cost = new LinkedHashMap<>();
            cost.put("amount", 0.5);
            cost.put("currency", "USD");
            cost.put(choice[0].substring(5), value);
            e.put("cost", cost);
        } else {
            put(e, choice[0], value);
        }
        return bad("wrong type of " + choice[0], text(e), choice[0]);
    }

    private Case hugeString(int i, boolean oversized) {
        Map<String, Object> e = event(i, "shop", false);
        if (oversized) {
            put(e, "attributes.note", "x".repeat(5 * 1024 * 1024));
            return bad("a 5 MB attribute", text(e), "event");
        }
        return switch (random.nextInt(4)) {
            case 0 -> {
                put(e, "runId", "r".repeat(257 + random.nextInt(1000)));
                yield bad("a long run id", text(e), "runId");
            }
            case 1 -> {
                put(e, "attributes.note", "n".repeat(1025 + random.nextInt(5000)));
                yield bad("a long attribute", text(e), "attributes.note");
            }
            case 2 -> {
                put(e, "triggeredBy", "t".repeat(257 + random.nextInt(1000)));
                yield bad("a long triggeredBy", text(e), "triggeredBy");
            }
            default -> {
                put(e, "security", Map.of("encryption", "e".repeat(300)));
                yield bad("a long encryption", text(e), "security.encryption");
            }
        };
    }

    private Case deep(int i) {
        Map<String, Object> e = event(i, "shop", false);
        int depth = maxDepth + 1 + random.nextInt(2000);
        String nested = "[".repeat(depth) + "]".repeat(depth);
        boolean inAttributes = random.nextBoolean();
        String text = text(e);
        if (inAttributes) {
            text = text.replace("\"attributes\":{", "\"attributes\":{\"deep\":" + nested + ",");
            return bad("deep nesting in attributes", text, "attributes.deep");
        }
        text = text.replaceFirst("\\{", "{\"extra\":" + nested + ",");
        return bad("deep nesting in an unknown field", text, "extra");
    }

    private Case nonFinite(int i) {
        String metric = METRICS[random.nextInt(METRICS.length)];
        String[] values = {"NaN", "Infinity", "-Infinity", "1e999", "-1e999", "-1", "-0.5"};
        String value = values[random.nextInt(values.length)];
        String text =
                text(event(i, "shop", false))
                        .replaceFirst("\"" + metric + "\":[^,}]+", "\"" + metric + "\":" + value);
        return bad(value + " in " + metric, text, "metrics." + metric);
    }

    private Case badUnicode(int i) {
        Map<String, Object> e = event(i, "shop", false);
        String text = text(e);
        return switch (random.nextInt(7)) {
            case 0 ->
                    bad(
                            "a lone high surrogate in runId",
                            text.replace("\"runId\":\"", "\"runId\":\"\\ud800"),
                            "runId");
            case 1 ->
                    bad(
                            "a lone low surrogate in an attribute",
                            text.replace("\"note\":\"", "\"note\":\"x\\udc00y"),
                            "attributes.note");
            case 2 ->
                    bad(
                            "an escaped NUL in an attribute",
                            text.replace("\"note\":\"", "\"note\":\"a\\u0000b"),
                            "attributes.note");
            case 3 ->
                    bad(
                            "a raw control character in a string",
                            text.replace("\"note\":\"", "\"note\":\"a\u0001b"),
                            "event");
            case 4 ->
                    bad(
                            "an escaped control character in an id",
                            text.replace("\"actionId\":\"", "\"actionId\":\"\\u001b["),
                            "actionId");
            case 5 -> bad("a byte order mark", "\ufeff" + text, "event");
            default -> {
                byte[] b = text.getBytes(UTF_8);
                int at = text.indexOf("\"note\":\"") + 8;
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(b, 0, at);
                byte[][] invalid = {
                    {(byte) 0xC3},
                    {(byte) 0xFF},
                    {(byte) 0xED, (byte) 0xA0},
                    {(byte) 0x80},
                    {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}
                };
                out.writeBytes(invalid[random.nextInt(invalid.length)]);
                out.write(b, at, b.length - at);
                yield new Case("invalid UTF-8", out.toByteArray(), "event", null, null);
            }
        };
    }

    private Case duplicate(int i) {
        String text = text(event(i, "shop", false));
        return switch (random.nextInt(3)) {
            case 0 ->
                    bad(
                            "runId twice",
                            text.replaceFirst("\"runId\":", "\"runId\":\"other\",\"runId\":"),
                            "runId");
            case 1 ->
                    bad(
                            "cpuSeconds twice",
                            text.replaceFirst(
                                    "\"cpuSeconds\":", "\"cpuSeconds\":0,\"cpuSeconds\":"),
                            "metrics.cpuSeconds");
            default ->
                    bad(
                            "an attribute twice",
                            text.replaceFirst("\"region\":", "\"region\":\"x\",\"region\":"),
                            "attributes.region");
        };
    }

    private Case farTime(int i) {
        Map<String, Object> e = event(i, "shop", false);
        Object[] times = {
            now.plus(Duration.ofDays(1 + random.nextInt(30_000))).toString(),
            now.minus(Duration.ofDays(200 + random.nextInt(30_000))).toString(),
            "+999999999-12-31T23:59:59Z",
            "-000001-01-01T00:00:00Z",
            Long.MAX_VALUE,
            -1,
            "2026-13-45T99:99:99Z",
            "yesterday",
            ""
        };
        e.put("time", times[random.nextInt(times.length)]);
        return bad("a far or bad time", text(e), "time");
    }

    private Case unknownType(int i) {
        Map<String, Object> e = event(i, "shop", false);
        String[] types = {"ACTION_EXPLODED", "action_finished", "", "WORKFLOW_STARTED ", "\u00c4"};
        e.put("type", types[random.nextInt(types.length)]);
        return bad("an unknown type", text(e), "type");
    }

    private Case twoValues(int i) {
        String text = text(event(i, "shop", false));
        String[] tails = {text(event(i + 1, "shop", false)), "garbage", "}", "]", ",{}", "\"x\""};
        String sep = random.nextBoolean() ? "" : "\n";
        return bad(
                "more after the event", text + sep + tails[random.nextInt(tails.length)], "event");
    }

    private Case implausible(int i) {
        Map<String, Object> e = event(i, "shop", false);
        return switch (random.nextInt(5)) {
            case 0 -> {
                put(e, "metrics.durationMs", 1e23);
                yield bad("durationMs 1e23", text(e), "metrics.durationMs");
            }
            case 1 -> {
                put(e, "metrics.durationMs", Duration.ofDays(181).toMillis());
                yield bad("a duration beyond the retention", text(e), "metrics.durationMs");
            }
            case 2 -> {
                put(e, "metrics.peakMemoryBytes", 2e15);
                yield bad("memory beyond a pebibyte", text(e), "metrics.peakMemoryBytes");
            }
            case 3 -> {
                put(e, "metrics.peakCores", 1e9);
                yield bad("a billion cores", text(e), "metrics.peakCores");
            }
            default -> {
                e.put("cost", Map.of("amount", 1e300, "currency", "USD"));
                yield bad("an implausible cost", text(e), "cost.amount");
            }
        };
    }

    private Case conformance(int i) {
        String text = text(event(i, "shop", false));
        String[][] cases = {
            {"a trailing comma", text.substring(0, text.length() - 1) + ",}"},
            {
                "a trailing comma in an array",
                text.replace("\"attempt\":1", "\"x\":[1,2,],\"attempt\":1")
            },
            {"a leading zero", text.replace("\"attempt\":1", "\"attempt\":-01")},
            {"an unclosed object", text.substring(0, text.length() - 1)},
            {"an unclosed string", text.substring(0, text.lastIndexOf('"'))},
            {"single quotes", text.replace("\"region\"", "'region'")},
            {"a comment", text.replace("{\"eventId\"", "{/* hi */\"eventId\"")},
            {"an unquoted name", text.replace("\"region\"", "region")},
            {"a top-level array", "[" + text + "]"},
            {"a top-level string", "\"" + prefix + "\""},
            {"a top-level number", "42"},
            {"a top-level null", "null"},
            {"a top-level true", "true"},
            {"whitespace only", " \n\t "},
            {"nothing", ""},
            {"a hex number", text.replace("\"attempt\":1", "\"attempt\":0x1")},
            {"a plus sign", text.replace("\"attempt\":1", "\"attempt\":+1")},
            {"a bare decimal point", text.replace("\"attempt\":1", "\"attempt\":1.")},
            {"a bad escape", text.replace("\"note\":\"", "\"note\":\"\\x41")},
            {"a bad unicode escape", text.replace("\"note\":\"", "\"note\":\"\\u12G4")},
            {"UTF-16", null},
        };
        String[] c = cases[random.nextInt(cases.length)];
        if (c[1] == null) {
            return new Case(
                    "UTF-16",
                    text.getBytes(java.nio.charset.StandardCharsets.UTF_16LE),
                    "event",
                    null,
                    null);
        }
        return bad(c[0], c[1], "event");
    }

    private Case tooManyAttributes(int i) {
        Map<String, Object> e = event(i, "shop", false);
        Map<String, Object> a = new LinkedHashMap<>();
        int n = InputOptions.MAX_ATTRIBUTES.defaultValue() + 1 + random.nextInt(200);
        for (int k = 0; k < n; k++) {
            a.put("k" + k, k);
        }
        e.put("attributes", a);
        return bad(n + " attributes", text(e), "attributes");
    }

    private Case reservedTenant(int i) {
        Map<String, Object> e = event(i, "shop", false);
        String[] tenants = {"*", "shop/other", "", " "};
        e.put("tenant", tenants[random.nextInt(tenants.length)]);
        return bad("a reserved or bad tenant", text(e), "tenant");
    }

    private Case hugeNumber(int i) {
        String text = text(event(i, "shop", false));
        return random.nextBoolean()
                ? bad(
                        "an attempt beyond a long",
                        text.replace("\"attempt\":1", "\"attempt\":18446744073709551617"),
                        "attempt")
                : bad(
                        "a number of a thousand digits",
                        text.replace("\"attempt\":1", "\"attempt\":1" + "0".repeat(1000)),
                        "attempt");
    }

    private Case missing(int i) {
        Map<String, Object> e = event(i, "shop", false);
        String[] fields = {
            "eventId", "runId", "workflowType", "actionType", "actionId", "time", "type"
        };
        String field = fields[random.nextInt(fields.length)];
        e.remove(field);
        return bad("no " + field, text(e), field);
    }

    private Case controlInId(int i) {
        Map<String, Object> e = event(i, "shop", false);
        e.put("workflowType", "fu\tzz");
        return bad("a tab in an id", text(e), "workflowType");
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> e, String path, Object value) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            e.put(path, value);
        } else {
            ((Map<String, Object>) e.get(path.substring(0, dot)))
                    .put(path.substring(dot + 1), value);
        }
    }

    private static String text(Map<String, Object> e) {
        return Json.string(e);
    }

    private static byte[] json(Map<String, Object> e) {
        return Json.bytes(e);
    }

    /** A command-shaped valid record, for the allocation decoder. */
    static Map<String, Object> command(int i, Instant now) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("commandId", "fz-c" + i);
        c.put("pool", "shop/orders");
        c.put("cores", 4);
        c.put("instances", 1);
        c.put("readyBy", now.toString());
        c.put("expiresAt", now.plusSeconds(600).toString());
        c.put("reason", "forecast");
        c.put("issuedAt", now.toString());
        return c;
    }

    /** Structural faults that apply to any record: {@code make} gives the i-th valid one's text. */
    static List<String> structural(IntFunction<String> make, int i) {
        String t = make.apply(i);
        return List.of(
                t.substring(0, t.length() / 2),
                t + t,
                t + "garbage",
                t.substring(0, t.length() - 1) + ",}",
                "\ufeff" + t,
                "[" + t + "]",
                "{\"x\":" + "[".repeat(100) + "]".repeat(100) + "}",
                t.replaceFirst("\\{\"(\\w+)\":", "{\"$1\":1,\"$1\":"),
                t.replaceFirst(":\"", java.util.regex.Matcher.quoteReplacement(":\"\\ud800")),
                "{\"x\":-01}",
                "");
    }
}
