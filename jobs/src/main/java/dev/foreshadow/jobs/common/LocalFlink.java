package dev.foreshadow.jobs.common;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink environment of a command: on a cluster (under {@code flink run}) the cluster's,
 * untouched; in a plain JVM a MiniCluster whose temporary files, blobs and checkpoints all live
 * under {@code runDir}.
 */
public final class LocalFlink {

    private LocalFlink() {}

    /**
     * Whether this runs as the program of a Flink client: {@code flink run}, or a submission to the
     * JobManager.
     */
    public static boolean underFlinkClient() {
        return !(StreamExecutionEnvironment.getExecutionEnvironment()
                instanceof LocalStreamEnvironment);
    }

    /**
     * What flink-conf/config.yaml sets for an alert's latency, the same here: a network buffer is
     * sent after at most 10 ms (Flink's default 100 ms, at each of the graph's exchanges, which
     * watermarks pass too) and sources emit their watermark every 50 ms (default 200 ms). An alert
     * waits for the watermark to pass its sample, then crosses the exchanges to the sink; measured
     * by {@code bench pipeline --latency-only} (README).
     */
    static final Map<String, String> LATENCY =
            Map.of(
                    "execution.buffer-timeout.interval", "10 ms",
                    "pipeline.auto-watermark-interval", "50 ms");

    public static StreamExecutionEnvironment environment(
            Path runDir, int parallelism, Map<String, String> extra) {
        StreamExecutionEnvironment context = StreamExecutionEnvironment.getExecutionEnvironment();
        if (!(context instanceof LocalStreamEnvironment)) {
            // under `flink run`: the cluster's configuration (parallelism, checkpoint interval and
            // storage) and the flags of `flink run` (-p, -D) apply; the local folders and defaults
            // below would override them
            return context;
        }
        Path dir = runDir.toAbsolutePath();
        Map<String, String> conf = new HashMap<>();
        conf.put("io.tmp.dirs", dir.resolve("flink-tmp").toString());
        conf.put("web.upload.dir", dir.resolve("flink-web").toString());
        conf.put("blob.storage.directory", dir.resolve("flink-blobs").toString());
        conf.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        conf.put(
                "execution.checkpointing.savepoint-dir",
                dir.resolve("savepoints").toUri().toString());
        conf.put("execution.checkpointing.interval", "5 s");
        conf.putAll(LATENCY);
        conf.put("parallelism.default", Integer.toString(parallelism));
        conf.putAll(extra);
        return StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(conf));
    }
}
