-- V005: arrivals, how many runs of each workflow type started per minute: the series forecasting learns from.
--
-- One row per (workflow type, tenant, minute). TimescaleDB: a hypertable with daily chunks; time_bucket() turns
-- it into hourly or daily series.

SELECT fs_create_history_table('arrivals', $cols$
    bucket        timestamptz NOT NULL,
    tenant        text        NOT NULL,
    workflow_type text        NOT NULL,
    runs          bigint      NOT NULL,
    PRIMARY KEY (workflow_type, tenant, bucket)
$cols$, 'bucket');
