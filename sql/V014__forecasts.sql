-- V014: forecasts, what ShadowJob's Forecast operator expects each workflow type's arrivals to be, every bucket.
--
-- One row per (tenant, workflow type, origin): per step of step_seconds from the origin, the mean and the P10 and
-- P90 of the runs expected to start, after the external events in force or announced and the dependency cascade;
-- the model and registry version that made it (version 0: the job's own choice, no registered model) and why; the
-- events and dependencies applied. When a forecast's horizon has passed it is compared with the arrivals: the row of
-- the origin it is scored at names it (scored_origin) with its MASE (mean absolute error over the in-sample seasonal
-- naive error), and retrain is true while the type's smoothed MASE is above forecast.retrain-mase, the rows `train`
-- can read to know which types to retrain. Keyed by (tenant, workflow_type, origin): a replay stores each once.
-- TimescaleDB: a hypertable with daily chunks and the history retention.

SELECT fs_create_history_table('forecasts', $cols$
    origin         timestamptz        NOT NULL,
    tenant         text               NOT NULL,
    workflow_type  text               NOT NULL,
    step_seconds   integer            NOT NULL CHECK (step_seconds > 0),
    model          text               NOT NULL,
    model_version  integer            NOT NULL CHECK (model_version >= 0),
    why            text               NOT NULL,
    mean           double precision[] NOT NULL,
    p10            double precision[] NOT NULL,
    p90            double precision[] NOT NULL,
    events         text[]             NOT NULL DEFAULT '{}',
    dependencies   text[]             NOT NULL DEFAULT '{}',
    scored_origin  timestamptz,
    mase           double precision,
    retrain        boolean            NOT NULL DEFAULT false,
    PRIMARY KEY (tenant, workflow_type, origin)
$cols$, 'origin');

CREATE INDEX IF NOT EXISTS forecasts_retrain ON forecasts (workflow_type, origin DESC) WHERE retrain;

DO $$
BEGIN
    GRANT SELECT, INSERT ON forecasts TO foreshadow_writer;
    GRANT SELECT ON forecasts TO foreshadow_analyst;
    GRANT ALL ON forecasts TO foreshadow_admin;
EXCEPTION WHEN undefined_object OR insufficient_privilege THEN
    RAISE NOTICE 'forecasts: roles not granted (%)', SQLERRM;
END $$;
