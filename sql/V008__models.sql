-- V008: models, the model registry: versioned forecasting artifacts that the job loads at start and on reload.
--
-- One row per trained version of a workflow type's model ('*' holds the global LSTM shared by every type):
-- the model type (its registry name: snaive24, ets-ad-a24, lstm, combo-ets-lstm, ...), the training window,
-- the backtest metrics that chose it (JSON), the opaque artifact written by the models module, and when it was
-- created. Versions count up per workflow type; the newest version is the one in service. A plain table: the
-- registry is small and is never dropped by retention, so no TimescaleDB feature is used.

CREATE TABLE IF NOT EXISTS models (
    id             bigserial   PRIMARY KEY,
    workflow_type  text        NOT NULL,
    model_type     text        NOT NULL,
    version        integer     NOT NULL CHECK (version > 0),
    training_from  timestamptz NOT NULL,
    training_to    timestamptz NOT NULL CHECK (training_to >= training_from),
    metrics        jsonb       NOT NULL,
    artifact       bytea       NOT NULL,
    created_at     timestamptz NOT NULL,
    UNIQUE (workflow_type, version)
);

DO $$
BEGIN
    GRANT SELECT, INSERT ON models TO foreshadow_writer;
    GRANT USAGE ON SEQUENCE models_id_seq TO foreshadow_writer;
    GRANT SELECT (id, workflow_type, model_type, version, training_from, training_to, metrics, created_at)
        ON models TO foreshadow_analyst;
    GRANT ALL ON models TO foreshadow_admin;
EXCEPTION WHEN undefined_object THEN
    RAISE NOTICE 'grants on models not given: the roles do not exist';
END $$;
