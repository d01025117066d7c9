-- V003: workflow_runs, one row per run when it ends (COMPLETED) or is given up on after the run TTL (ABANDONED).
--
-- time is when the run ended. Indexed by (workflow_type, time). TimescaleDB: a hypertable with daily chunks.

SELECT fs_create_history_table('workflow_runs', $cols$
    time               timestamptz      NOT NULL,
    run_id             text             NOT NULL,
    start_time         timestamptz,
    tenant             text             NOT NULL,
    workflow_type      text             NOT NULL,
    triggered_by       text,
    status             text             NOT NULL,
    actions            integer          NOT NULL,
    failed_actions     integer          NOT NULL,
    cpu_seconds        double precision NOT NULL,
    memory_gib_seconds double precision NOT NULL,
    network_bytes      bigint           NOT NULL,
    bytes_read         bigint           NOT NULL,
    bytes_written      bigint           NOT NULL,
    cost               double precision NOT NULL,
    currency           text             NOT NULL,
    certifications     text[]           NOT NULL DEFAULT '{}',
    PRIMARY KEY (run_id, time)
$cols$, 'time');

CREATE INDEX IF NOT EXISTS workflow_runs_type_time ON workflow_runs (workflow_type, time DESC);
