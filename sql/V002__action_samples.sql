-- V002: action_samples, one row per action that ended (finished or failed), written by ShadowJob's history sink.
--
-- Keyed by the id of the event that ended the action (with time, which partitioning requires), so a replayed
-- event is stored once. Indexed by (workflow_type, action_type, time) for per-action history and baselines.
-- TimescaleDB: a hypertable with daily chunks.

SELECT fs_create_history_table('action_samples', $cols$
    time              timestamptz      NOT NULL,
    event_id          text             NOT NULL,
    start_time        timestamptz,
    tenant            text             NOT NULL,
    workflow_type     text             NOT NULL,
    run_id            text             NOT NULL,
    action_type       text             NOT NULL,
    action_id         text             NOT NULL,
    failed            boolean          NOT NULL,
    attempt           integer          NOT NULL,
    duration_ms       bigint           NOT NULL,
    cpu_seconds       double precision NOT NULL,
    peak_cores        double precision NOT NULL,
    peak_memory_bytes bigint           NOT NULL,
    network_in_bytes  bigint           NOT NULL,
    network_out_bytes bigint           NOT NULL,
    bytes_read        bigint           NOT NULL,
    bytes_written     bigint           NOT NULL,
    encryption        text,
    certifications    text[]           NOT NULL DEFAULT '{}',
    cost              double precision NOT NULL,
    currency          text             NOT NULL,
    cost_estimated    boolean          NOT NULL,
    attributes        jsonb            NOT NULL DEFAULT '{}',
    PRIMARY KEY (event_id, time)
$cols$, 'time');

CREATE INDEX IF NOT EXISTS action_samples_type_action_time
    ON action_samples (workflow_type, action_type, time DESC);
