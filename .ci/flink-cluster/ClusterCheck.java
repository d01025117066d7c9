import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks of .ci/flink-cluster.sh on a running standalone cluster, as one Java source file (run
 * with {@code java -cp <PostgreSQL driver> ClusterCheck.java ...}): waits, within a deadline, until
 * the job's events are in PostgreSQL and a checkpoint completed, then checks that the job runs
 * without exceptions and that the TaskManager's Prometheus reporter serves the job's metrics.
 * Prints one line per check; exits 1 naming the first check that did not hold.
 *
 * <pre>
 * java -cp postgresql.jar ClusterCheck.java REST_URL JOB_ID JDBC_URL EXPECTED_SAMPLES PROMETHEUS_URL SECONDS
 * </pre>
 */
public class ClusterCheck {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println(
                    "usage: ClusterCheck REST_URL JOB_ID JDBC_URL EXPECTED_SAMPLES PROMETHEUS_URL SECONDS");
            System.exit(2);
        }
        String rest = args[0];
        String job = args[1];
        String jdbc = args[2];
        long expected = Long.parseLong(args[3]);
        String prometheus = args[4];
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[5])).toNanos();

        long samples = -1;
        long runs = -1;
        long checkpoints = 0;
        String status = "";
        while (System.nanoTime() < deadline) {
            status = field(get(rest + "/jobs/" + job), "state");
            if (status.equals("FAILED") || status.equals("CANCELED") || status.equals("FINISHED")) {
                fail("the job is " + status + ": " + get(rest + "/jobs/" + job + "/exceptions"));
            }
            samples = count(jdbc, "SELECT count(*) FROM action_samples");
            runs = count(jdbc, "SELECT count(*) FROM workflow_runs");
            checkpoints = number(get(rest + "/jobs/" + job + "/checkpoints"), "completed");
            if (samples >= expected && runs > 0 && checkpoints >= 1) {
                break;
            }
            Thread.sleep(2000);
        }
        System.out.printf(Locale.ROOT, "  job state:                %s%n", status);
        System.out.printf(
                Locale.ROOT, "  action_samples:           %d (expected %d)%n", samples, expected);
        System.out.printf(Locale.ROOT, "  workflow_runs:            %d%n", runs);
        System.out.printf(Locale.ROOT, "  checkpoints completed:    %d%n", checkpoints);
        if (!status.equals("RUNNING")) {
            fail("the job is " + status + ", not RUNNING");
        }
        if (samples != expected) {
            fail("action_samples holds " + samples + " rows, expected " + expected);
        }
        if (runs <= 0) {
            fail("no run summary reached workflow_runs");
        }
        if (checkpoints < 1) {
            fail("no checkpoint completed: " + get(rest + "/jobs/" + job + "/checkpoints"));
        }

        String vertices = get(rest + "/jobs/" + job);
        List<String> notRunning = new ArrayList<>();
        Matcher v = Pattern.compile("\"name\":\"([^\"]+)\",\"maxParallelism\":\\d+,\"parallelism\":\\d+,\"status\":\"([A-Z]+)\"").matcher(vertices);
        int vertexCount = 0;
        while (v.find()) {
            vertexCount++;
            if (!v.group(2).equals("RUNNING")) {
                notRunning.add(v.group(1) + " " + v.group(2));
            }
        }
        System.out.printf(Locale.ROOT, "  vertices running:         %d of %d%n", vertexCount - notRunning.size(), vertexCount);
        if (vertexCount == 0 || !notRunning.isEmpty()) {
            fail("vertices not running: " + notRunning + " (of " + vertexCount + ")");
        }
        String exceptions = get(rest + "/jobs/" + job + "/exceptions");
        boolean none = exceptions.contains("\"exceptionHistory\":{\"entries\":[]");
        System.out.printf(Locale.ROOT, "  exceptions:               %s%n", none ? "none" : exceptions);
        if (!none) {
            fail("the job had exceptions");
        }

        String metrics = get(prometheus);
        long eventsIn = sum(metrics, "flink_taskmanager_job_task_operator_eventsIn", "operator_name=\"split_dead_letters\"");
        long rejected = sum(metrics, "flink_taskmanager_job_task_operator_reason_eventsRejected", "operator_name=\"split_dead_letters\"");
        System.out.printf(Locale.ROOT, "  prometheus eventsIn:      %d, eventsRejected: %d%n", eventsIn, rejected);
        if (eventsIn <= 0 || !metrics.contains("flink_taskmanager_job_task_operator_runsInFlight")) {
            fail("the TaskManager's Prometheus reporter (" + prometheus + ") does not serve the job's metrics");
        }
        System.out.println("cluster check: all passed");
    }

    private static void fail(String why) {
        System.out.println("cluster check FAILED: " + why);
        System.exit(1);
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    private static long number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static long sum(String metrics, String name, String label) {
        long total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") && line.contains(label)) {
                total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static long count(String jdbc, String sql) {
        try (Connection c = DriverManager.getConnection(jdbc);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1; // not yet migrated, or the database is restarting: try again
        }
    }
}
