-- V004: action_stats, per-minute statistics of each (workflow type, action type), from ShadowJob's event-time
-- windows: counts, duration mean/p50/p95 and sums of CPU, memory-time, bytes and cost.
--
-- One row per window; the key makes a replayed window a no-op. TimescaleDB: a hypertable with daily chunks.

SELECT fs_create_history_table('action_stats', $cols$
    bucket             timestamptz      NOT NULL,
    tenant             text             NOT NULL,
    workflow_type      text             NOT NULL,
    action_type        text             NOT NULL,
    count              bigint           NOT NULL,
    failures           bigint           NOT NULL,
    duration_mean_ms   double precision NOT NULL,
    duration_p50_ms    double precision NOT NULL,
    duration_p95_ms    double precision NOT NULL,
    cpu_seconds        double precision NOT NULL,
    memory_gib_seconds double precision NOT NULL,
    network_in_bytes   bigint           NOT NULL,
    network_out_bytes  bigint           NOT NULL,
    bytes_read         bigint           NOT NULL,
    bytes_written      bigint           NOT NULL,
    cost               double precision NOT NULL,
    PRIMARY KEY (workflow_type, action_type, tenant, bucket)
$cols$, 'bucket');
