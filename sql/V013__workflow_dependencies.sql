-- V013: workflow_dependencies, which workflow types start which: P(child | parent) and the start-to-start lag
-- distribution per pair, as ShadowJob learns them from the runs' triggeredBy (the dependency cascade of the
-- forecast rests on them).
--
-- One row per (tenant, parent type, child type) each time the estimate is published (once per forecast bucket
-- while it changes), keyed by (tenant, parent_type, child_type, time): a replay stores each once, the latest time
-- of a pair is the estimate in force. lag_weights[i] is the share of lags in [i, i+1) x lag_bin_seconds. TimescaleDB:
-- a hypertable with daily chunks and the history retention. Pools and types hold no personal data: the analyst
-- reads it.

SELECT fs_create_history_table('workflow_dependencies', $cols$
    time             timestamptz        NOT NULL,
    tenant           text               NOT NULL,
    parent_type      text               NOT NULL,
    child_type       text               NOT NULL,
    probability      double precision   NOT NULL CHECK (probability >= 0 AND probability <= 1),
    mean_lag_seconds double precision   NOT NULL CHECK (mean_lag_seconds >= 0),
    lag_bin_seconds  integer            NOT NULL CHECK (lag_bin_seconds > 0),
    lag_weights      double precision[] NOT NULL,
    parent_runs      bigint             NOT NULL CHECK (parent_runs > 0),
    triggered_runs   bigint             NOT NULL CHECK (triggered_runs >= 0),
    PRIMARY KEY (tenant, parent_type, child_type, time)
$cols$, 'time');

DO $$
BEGIN
    GRANT SELECT, INSERT ON workflow_dependencies TO foreshadow_writer;
    GRANT SELECT ON workflow_dependencies TO foreshadow_analyst;
    GRANT ALL ON workflow_dependencies TO foreshadow_admin;
EXCEPTION WHEN undefined_object OR insufficient_privilege THEN
    RAISE NOTICE 'workflow_dependencies: roles not granted (%)', SQLERRM;
END $$;
