package dev.foreshadow.jobs.demo;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.history.AllocationHistory;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.jobs.allocation.SimulatedAllocation;
import dev.foreshadow.jobs.common.LocalFlink;
import dev.foreshadow.jobs.common.ProgressBars;
import dev.foreshadow.jobs.report.HistoryReport;
import dev.foreshadow.jobs.shadow.ShadowJob;
import dev.foreshadow.jobs.shadow.ShadowSettings;
import dev.foreshadow.jobs.shadow.anomalies.AnomalyOptions;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.domain.WorkloadKey;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The demo: everything on this machine. Starts Kafka (KRaft) and PostgreSQL in-process, runs
 * ShadowJob and AllocationJob in Flink MiniClusters, replays a real workflow trace through Kafka on
 * an accelerated clock with signed external events announcing its campaigns (and a forged and a
 * replayed record), trains and registers forecasting models half-way (through {@link Trainer}), and
 * reports what the jobs stored. All files go under {@code OUT/run}; the summary goes to {@code
 * OUT/summary.json} and a report with charts to {@code OUT/report.html}.
 */
public final class Demo {

    private final Options options;
    private final PrintStream console;

    /**
     * The demo's settings.
     *
     * @param speed simulated seconds per real second
     * @param days days of workflow history to simulate
     * @param runsPerHour peak runs per hour of each workflow type
     * @param trace a folder of WfCommons (WfFormat) traces, or null for the bundled one
     * @param seed of the simulated arrivals
     * @param exitWhenDone exit after the summary instead of keeping the SQL endpoint up
     * @param keepRunning keep ShadowJob running on the embedded Kafka after the replay
     * @param out the output folder
     * @param trainer trains models half-way through the replay, or null for none
     */
    public record Options(
            double speed,
            int days,
            double runsPerHour,
            Path trace,
            long seed,
            boolean exitWhenDone,
            boolean keepRunning,
            Path out,
            Trainer trainer) {

        /** Rejects a setting out of range, with a message naming it. */
        public Options {
            if (!(speed > 0) || Double.isInfinite(speed)) {
                throw new IllegalArgumentException(
                        "--speed must be a positive number, got " + speed);
            }
            if (days < 1 || days > 60) {
                throw new IllegalArgumentException("--days must be from 1 to 60, got " + days);
            }
            if (!(runsPerHour > 0) || runsPerHour > 1000) {
                throw new IllegalArgumentException(
                        "--runs-per-hour must be above 0 and at most 1000, got " + runsPerHour);
            }
            if (trace != null && !Files.isDirectory(trace)) {
                throw new IllegalArgumentException("--trace " + trace + " is not a directory");
            }
        }
    }

    /**
     * Trains forecasting models on the history so far and registers them, as {@code ./foreshadow
     * train} does; the demo calls it half-way through the replay, with the replay paused.
     */
    @FunctionalInterface
    public interface Trainer {

        /**
         * Trains on the arrivals in the database at {@code jdbcUrl} (as {@code user}) before {@code
         * until}, in steps of {@code step} (the job's forecast bucket), forecasting {@code horizon}
         * steps, and prints its table on {@code console}; false when it failed (it said why).
         */
        boolean train(
                String jdbcUrl,
                String user,
                Instant until,
                Duration step,
                int horizon,
                PrintStream console)
                throws Exception;
    }

    private final List<WfTrace.Template> templates;

    /**
     * A demo of {@code options}; reads the trace now, so a bad one is reported before anything
     * starts.
     */
    public Demo(Options options, PrintStream console) throws IOException {
        this.options = options;
        this.console = console;
        this.templates =
                options.trace() == null ? WfTrace.bundled() : WfTrace.read(options.trace());
    }

    /** Runs the demo to its end (or, unless told to exit, until the process is stopped). */
    public void run() throws Exception {
        double speed = options.speed();
        int days = options.days();
        Path out = options.out();
        boolean keepRunning = options.keepRunning();
        Instant end = traceEnd(Instant.now());
        Instant start = end.minus(Duration.ofDays(days));
        DemoWorkload.Workload workload =
                DemoWorkload.demo(templates, start, end, options.seed(), options.runsPerHour());
        Instant half = DemoWorkload.halfway(start, end);
        console.printf(
                "trace: %d workflow types (%s), %d runs over %d days, %d records to publish%n",
                templates.size(),
                String.join(", ", templates.stream().map(WfTrace.Template::workflowType).toList()),
                workload.runs(),
                days,
                workload.records().size());

        Path runDir = out.resolve("run").toAbsolutePath();
        deleteRecursively(runDir);
        long began = System.nanoTime();
        console.println("starting Kafka (KRaft) and PostgreSQL under " + runDir + " ...");
        try (EmbeddedStack stack = EmbeddedStack.start(runDir)) {
            stack.prepareForJobs(2);
            stack.createJobLogins();
            console.println(
                    "history (SQL):  psql '"
                            + stack.jdbcUrl().replace("jdbc:", "")
                            + "?user=postgres'");
            console.println("                JDBC " + stack.jdbcUrl() + " user postgres");
            console.println("kafka:          " + stack.kafkaBootstrapServers());
            // the key the demo signs its external events with: made here, never printed
            Path keyFile =
                    ExternalEventFeed.writeKeyFile(
                            runDir.resolve("external-events.keys"), DemoWorkload.TENANT);

            ShadowSettings settings =
                    ShadowSettings.from(
                            ShadowSettings.load(
                                    null,
                                    Map.of(
                                            "kafka.bootstrap-servers",
                                            stack.kafkaBootstrapServers(),
                                            "history.jdbc-url",
                                            stack.jdbcUrl(),
                                            "history.user",
                                            EmbeddedStack.SHADOW_LOGIN,
                                            "external-events.key-file",
                                            keyFile.toString(),
                                            // the models trained half-way are used within a
                                            // second (of the wall; minutes of trace time)
                                            "forecast.registry-poll",
                                            "1 s",
                                            // both partitions carry events the whole time; a
                                            // long idleness keeps the final drain's watermark
                                            // (see DISCUSSION.md)
                                            "watermark.idleness",
                                            "10 min",
                                            // alerts are rate-limited per minute of processing
                                            // time: scaled to the demo's clock
                                            "anomaly.alerts-per-minute",
                                            Double.toString(
                                                    speed
                                                            * AnomalyOptions.ALERTS_PER_MINUTE
                                                                    .defaultValue()))));
            StreamExecutionEnvironment env =
                    LocalFlink.environment(runDir.resolve("flink"), 2, Map.of());
            ShadowJob.of(settings).build(env);
            JobClient job = env.executeAsync(ShadowJob.NAME);
            console.println(
                    "ShadowJob running in a Flink MiniCluster (job " + job.getJobID() + ")");
            ReplayClock clock = new ReplayClock(workload.records().get(0).time(), speed);
            SimulatedAllocation allocation =
                    SimulatedAllocation.start(
                            LocalFlink.environment(runDir.resolve("flink-allocation"), 1, Map.of()),
                            stack,
                            clock,
                            pools(templates));
            console.println(
                    "AllocationJob running on simulated pools "
                            + String.join(", ", poolNames(templates))
                            + " (job "
                            + allocation.job().getJobID()
                            + ")");

            console.println("campaigns:      " + describe(workload.campaigns()));
            // the first half, a minute past the training point so that its arrivals are counted,
            // then the models are trained with the replay paused, then the rest
            Instant cut = half.plus(Duration.ofMinutes(1));
            List<DemoWorkload.Record> first =
                    workload.records().stream().filter(r -> r.time().isBefore(cut)).toList();
            List<DemoWorkload.Record> rest =
                    workload.records().subList(first.size(), workload.records().size());
            String trained;
            int externalRecords;
            try (ExternalEventFeed feed =
                    new ExternalEventFeed(
                            stack.kafka().clientProperties(), keyFile, workload.campaigns())) {
                Publisher.publish(
                        stack.kafka().clientProperties(),
                        Topics.WORKFLOW_EVENTS,
                        first,
                        clock,
                        "replaying (first half)",
                        feed::publishDue);
                clock.pause();
                trained = train(stack, settings, half);
                clock.resume();
                Publisher.publish(
                        stack.kafka().clientProperties(),
                        Topics.WORKFLOW_EVENTS,
                        rest,
                        clock,
                        "replaying (second half)",
                        feed::publishDue);
                externalRecords = feed.recordsSent();
            }
            long stored = awaitSamples(stack, workload.actionEnds(), job);
            if (!keepRunning) {
                // drain: the final watermark fires every window and run timer, so stats and
                // summaries are complete
                job.stopWithSavepoint(
                                true,
                                runDir.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get();
                job.getJobExecutionResult().get();
            }
            AllocationHistory.Summary allocated = allocation.summary();
            allocation.close();
            Map<String, Object> summary =
                    summary(
                            stack,
                            workload,
                            stored,
                            allocated,
                            new Prediction(half, trained, externalRecords),
                            Duration.ofNanos(System.nanoTime() - began));
            Files.createDirectories(out);
            Files.writeString(
                    out.resolve("summary.json"),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
            console.println();
            summary.forEach((k, v) -> console.printf("  %-24s %s%n", k, v));
            console.println("summary written to " + out.resolve("summary.json"));
            try (Connection c = stack.postgres().connect()) {
                console.println(
                        "report with charts: "
                                + HistoryReport.write(c, out, null, "foreshadow demo", summary));
            }
            if (!options.exitWhenDone() || keepRunning) {
                console.println();
                console.println(
                        "history stays queryable at "
                                + stack.jdbcUrl()
                                + " (user postgres)"
                                + (keepRunning
                                        ? "; ShadowJob keeps reading "
                                                + Topics.WORKFLOW_EVENTS
                                                + " at "
                                                + stack.kafkaBootstrapServers()
                                        : "")
                                + ". Press Ctrl-C to stop.");
                Thread.currentThread().join();
            }
            if (keepRunning) {
                job.cancel().get();
            }
        }
    }

    /**
     * Waits until the job's event time has passed {@code until} (its forecast from there is stored,
     * so are the arrivals before it, a flush later), or a minute passes, then trains; says what
     * came of it.
     */
    private String train(EmbeddedStack stack, ShadowSettings settings, Instant until)
            throws Exception {
        if (options.trainer() == null) {
            return "not trained (no trainer)";
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (count(stack, "SELECT count(*) FROM forecasts WHERE origin >= '" + until + "'") == 0
                && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        Thread.sleep(settings.history().flushInterval().toMillis() + 500);
        console.println();
        console.println("training forecasting models on the history until " + until + ":");
        long began = System.nanoTime();
        boolean ok =
                options.trainer()
                        .train(
                                stack.jdbcUrl(),
                                "postgres",
                                until,
                                settings.forecast().bucket(),
                                settings.forecast().steps(),
                                console);
        long seconds = Duration.ofNanos(System.nanoTime() - began).toSeconds();
        console.printf(
                "training %s in %d s; the replay goes on%n", ok ? "done" : "failed", seconds);
        return (ok ? "until " : "failed, until ") + until + " (" + seconds + " s, replay paused)";
    }

    /** The campaigns in one line. */
    static String describe(List<DemoWorkload.Campaign> campaigns) {
        return String.join(
                "; ",
                campaigns.stream()
                        .map(
                                c ->
                                        c.workflowType()
                                                + " x"
                                                + c.magnitude()
                                                + " "
                                                + c.start()
                                                + " .. "
                                                + c.end()
                                                + " (announced "
                                                + c.announcedAt()
                                                + ")")
                        .toList());
    }

    /** The end of a simulated trace made at {@code now}: three whole hours before it. */
    static Instant traceEnd(Instant now) {
        return now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
    }

    /** The pool of each workflow type of the trace, as commands name it by default. */
    static List<String> poolNames(List<WfTrace.Template> templates) {
        return templates.stream()
                .map(
                        t ->
                                PoolId.defaultFor(
                                                WorkloadKey.ofType(
                                                        DemoWorkload.TENANT, t.workflowType()))
                                        .name())
                .toList();
    }

    /**
     * Simulated pools for the demo's workflow types: one instance kept warm, two minutes of boot
     * and one of warm-up (trace time), and one warm-up in ten that fails and is replaced.
     */
    private static Map<String, String> pools(List<WfTrace.Template> templates) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("allocation.pools", String.join(";", poolNames(templates)));
        s.put("allocation.poll-interval", "500 ms");
        for (String pool : poolNames(templates)) {
            String p = "allocation.pool." + pool + ".";
            s.put(p + "manager", "simulated");
            s.put(p + "min", "1");
            s.put(p + "max", "16");
            s.put(p + "cooldown", "10 min");
            s.put(p + "lead-time", "5 min");
            s.put(p + "simulated.boot-time", "2 min");
            s.put(p + "simulated.warm-up-time", "1 min");
            s.put(p + "simulated.failure-rate", "0.1");
        }
        return s;
    }

    /**
     * Waits until the shadow has stored a sample for every action that ended (or a minute passes
     * without progress).
     */
    private long awaitSamples(EmbeddedStack stack, int expected, JobClient job) throws Exception {
        long stored = 0;
        long lastProgress = System.nanoTime();
        try (ProgressBar bar = ProgressBars.of("storing", expected, " samples")) {
            while (stored < expected) {
                long now = count(stack, "SELECT count(*) FROM action_samples");
                if (now > stored) {
                    stored = now;
                    lastProgress = System.nanoTime();
                    bar.stepTo(stored);
                }
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    throw new IllegalStateException(
                            "ShadowJob stopped: " + job.getJobStatus().get());
                }
                if (System.nanoTime() - lastProgress > Duration.ofSeconds(60).toNanos()) {
                    break;
                }
                Thread.sleep(250);
            }
        }
        return stored;
    }

    /**
     * The predictive half of a run: where it trained, what came of it, how many external records it
     * sent.
     */
    private record Prediction(Instant trainedAt, String training, int externalRecords) {}

    private static Map<String, Object> summary(
            EmbeddedStack stack,
            DemoWorkload.Workload w,
            long stored,
            AllocationHistory.Summary allocated,
            Prediction p,
            Duration took)
            throws Exception {
        DeadLetters dead = deadLetters(stack);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("events_published", w.records().size());
        s.put("events_rejected", dead.workflowEvents());
        s.put("duplicates_published", w.duplicates());
        s.put("runs_simulated", w.runs());
        s.put("runs_shadowed", count(stack, "SELECT count(*) FROM workflow_runs"));
        s.put(
                "runs_completed",
                count(stack, "SELECT count(*) FROM workflow_runs WHERE status = 'COMPLETED'"));
        s.put("action_samples_expected", w.actionEnds());
        s.put("action_samples_stored", stored);
        s.put("stats_rows", count(stack, "SELECT count(*) FROM action_stats"));
        s.put("arrivals_rows", count(stack, "SELECT count(*) FROM arrivals"));
        s.put(
                "workflow_types",
                count(stack, "SELECT count(DISTINCT workflow_type) FROM workflow_runs"));
        s.put("staged_incident", w.incident().toString());
        s.put("anomalies_stored", count(stack, "SELECT count(*) FROM anomalies"));
        s.put(
                "anomalies_by_kind",
                text(
                        stack,
                        "SELECT coalesce(string_agg(kind || '=' || n, ', ' ORDER BY n DESC), '')"
                                + " FROM (SELECT kind, count(*) n FROM anomalies GROUP BY kind) k"));
        // anomalies of the slowed action type from the incident's start until an hour after it
        // ended
        s.put(
                "anomalies_during_incident",
                count(
                        stack,
                        "SELECT count(*) FROM anomalies WHERE "
                                + incidentAnomalies(
                                        w.incident(),
                                        w.incident().end().plus(Duration.ofHours(1)))));
        // how long the staged incident ran before the first anomaly of the slowed action type, and
        // how many of its slowed samples had ended by then (0: found on the first)
        s.put("incident_first_alert", firstAlert(stack, w.incident()));
        // of the anomalies of the slowed action type stored while the incident lasted, the ones
        // paged on the anomalies topic: one per incident of a (workflow type, action type)
        s.put(
                "incident_alerts_paged",
                paged(stack, w.incident())
                        + " of "
                        + count(
                                stack,
                                "SELECT count(*) FROM anomalies WHERE "
                                        + incidentAnomalies(w.incident(), w.incident().end()))
                        + " stored while it lasted");
        // ShadowJob's forecasts (one per workflow type per bucket), its planner's commands, and the
        // mean MASE of the forecasts whose horizon had passed
        s.put("forecasts", count(stack, "SELECT count(*) FROM forecasts"));
        s.put(
                "allocation_commands",
                count(
                        stack,
                        "SELECT count(*) FROM allocation_commands WHERE command_id LIKE 'plan:%'"));
        s.put(
                "forecast_mase",
                text(
                        stack,
                        "SELECT coalesce(round(avg(mase)::numeric, 3)::text, 'none scored')"
                                + " FROM forecasts WHERE mase IS NOT NULL"));
        // the signed campaigns (and their replayed and forged copies) on external-events: those
        // stored, and those dead-lettered for their signature or their nonce
        s.put("external_events_published", p.externalRecords());
        s.put("external_events_accepted", count(stack, "SELECT count(*) FROM external_events"));
        s.put("external_events_rejected", dead.signatureOrReplay());
        s.put("training", p.training());
        s.put("models_registered", count(stack, "SELECT count(*) FROM models"));
        // forecasts made after the training point, and those of them by a registered version
        String after = "FROM forecasts WHERE origin > '" + p.trainedAt() + "'";
        s.put("forecasts_after_training", count(stack, "SELECT count(*) " + after));
        s.put(
                "forecasts_by_registered_models",
                count(stack, "SELECT count(*) " + after + " AND model_version > 0"));
        DemoWorkload.Campaign later = w.campaigns().get(w.campaigns().size() - 1);
        s.put("campaign_forecast", campaignForecast(stack, later));
        s.put("campaign_command", campaignCommand(stack, later));
        s.put("allocation_commands_applied", allocated.commandsApplied());
        s.put("instances_warmed", allocated.instancesWarmed());
        s.put("warmup_failures_replaced", allocated.warmUpFailuresReplaced());
        s.put("instance_hours", Math.round(allocated.instanceHours() * 10) / 10.0);
        s.put("seconds", took.toSeconds());
        return s;
    }

    /**
     * When the first anomaly of the incident's action type came, in minutes after the incident
     * began and in slowed samples that had ended before it.
     */
    private static String firstAlert(EmbeddedStack stack, DemoWorkload.Incident incident)
            throws SQLException {
        try (Connection c = stack.postgres().connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT time, kind, metric FROM anomalies WHERE "
                                        + incidentAnomalies(incident, incident.end())
                                        + " ORDER BY time LIMIT 1")) {
            if (!rs.next()) {
                return "none while it lasted";
            }
            Instant at = rs.getTimestamp(1).toInstant();
            long before = incident.affectedEnds().stream().filter(e -> e.isBefore(at)).count();
            return Math.round(Duration.between(incident.start(), at).getSeconds() / 60.0)
                    + " min after it began, "
                    + before
                    + " affected samples before it ("
                    + rs.getString(2)
                    + (rs.getString(3) == null ? "" : " " + rs.getString(3))
                    + ")";
        }
    }

    /**
     * Anomalies of the incident's action type, while it lasted, that reached the anomalies topic.
     */
    private static long paged(EmbeddedStack stack, DemoWorkload.Incident incident)
            throws IOException {
        Properties p = stack.kafka().clientProperties();
        p.put("group.id", "demo-summary-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        Instant until = incident.end();
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.ANOMALIES));
            int emptyPolls = 0;
            while (emptyPolls < 3) {
                var records = c.poll(Duration.ofMillis(700));
                emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
                for (var r : records) {
                    var a = Json.MAPPER.readTree(r.value());
                    Instant t = Instant.parse(a.path("time").asText());
                    if (incident.workflowType().equals(a.path("workflowType").asText())
                            && incident.actionType().equals(a.path("actionType").asText())
                            && !t.isBefore(incident.start())
                            && t.isBefore(until)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /**
     * SQL condition: anomalies of the incident's action type from its start until {@code until}.
     */
    private static String incidentAnomalies(DemoWorkload.Incident incident, Instant until) {
        return "workflow_type = '"
                + incident.workflowType()
                + "' AND action_type = '"
                + incident.actionType()
                + "' AND time >= '"
                + incident.start()
                + "' AND time < '"
                + until
                + "'";
    }

    /**
     * Dead letters by what they were: workflow events, and external events rejected for their
     * signature or as a replay.
     */
    private record DeadLetters(long workflowEvents, long signatureOrReplay) {}

    private static DeadLetters deadLetters(EmbeddedStack stack) throws IOException {
        Properties p = stack.kafka().clientProperties();
        p.put("group.id", "demo-summary-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        long workflow = 0;
        long signed = 0;
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.DEAD_LETTERS));
            int emptyPolls = 0;
            while (emptyPolls < 3) {
                var records = c.poll(Duration.ofMillis(700));
                emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
                for (var r : records) {
                    DeadLetter d = Json.read(r.value(), DeadLetter.class);
                    if (d.source().startsWith(Topics.EXTERNAL_EVENTS + "/")) {
                        boolean signature =
                                d.reason().startsWith("signature:")
                                        || d.reason().startsWith("nonce:");
                        signed += signature ? 1 : 0;
                    } else {
                        workflow++;
                    }
                }
            }
        }
        return new DeadLetters(workflow, signed);
    }

    /**
     * When the forecaster first applied the campaign (at the origin of its first forecast of the
     * campaign's type that names it) and with what effect.
     */
    private static String campaignForecast(EmbeddedStack stack, DemoWorkload.Campaign c)
            throws SQLException {
        String found =
                text(
                        stack,
                        "SELECT coalesce((SELECT extract(epoch FROM origin)::bigint || ' | ' || array_to_string(events, '; ')"
                                + " FROM forecasts WHERE workflow_type = '"
                                + c.workflowType()
                                + "' AND origin >= '"
                                + c.start().minus(Duration.ofHours(2))
                                + "' AND origin < '"
                                + c.end()
                                + "' AND array_to_string(events, ' ') LIKE '%campaign%'"
                                + " ORDER BY origin LIMIT 1), 'none')");
        if (found.equals("none")) {
            return "no forecast of " + c.workflowType() + " applied it";
        }
        Instant origin = timestamp(found.substring(0, found.indexOf(" | ")));
        return Duration.between(origin, c.start()).toMinutes()
                + " min before it began: "
                + found.substring(found.indexOf(" | ") + 3);
    }

    /** The campaign pool's first external-event command and the floor the one before it set. */
    private static String campaignCommand(EmbeddedStack stack, DemoWorkload.Campaign c)
            throws SQLException {
        String pool =
                PoolId.defaultFor(WorkloadKey.ofType(DemoWorkload.TENANT, c.workflowType())).name();
        String where =
                " FROM allocation_commands WHERE pool = '"
                        + pool
                        + "' AND command_id LIKE 'plan:%' AND ";
        String first =
                text(
                        stack,
                        "SELECT coalesce((SELECT extract(epoch FROM issued_at)::bigint || ' | '"
                                + " || extract(epoch FROM ready_by)::bigint || ' | ' || instances"
                                + where
                                + "reason = 'external-event' AND ready_by >= '"
                                + c.start()
                                + "' ORDER BY issued_at LIMIT 1), 'none')");
        if (first.equals("none")) {
            return "no external-event command for " + pool;
        }
        String[] f = first.split(" \\| ");
        Instant issued = timestamp(f[0]);
        String before =
                text(
                        stack,
                        "SELECT coalesce((SELECT instances::text"
                                + where
                                + "issued_at < '"
                                + issued
                                + "' ORDER BY issued_at DESC LIMIT 1), 'none')");
        return pool
                + " issued "
                + Duration.between(issued, c.start()).toMinutes()
                + " min before it began, ready by "
                + timestamp(f[1])
                + ", "
                + f[2]
                + " instances (the command before it: "
                + before
                + ")";
    }

    /** An instant from the epoch seconds the summary's queries print. */
    private static Instant timestamp(String epochSeconds) {
        return Instant.ofEpochSecond(Long.parseLong(epochSeconds.strip()));
    }

    private static String text(EmbeddedStack stack, String sql) throws SQLException {
        try (Connection c = stack.postgres().connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long count(EmbeddedStack stack, String sql) throws SQLException {
        try (Connection c = stack.postgres().connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
