-- V007: anomalies, every deviation ShadowJob finds (metric scores, sustained spikes, retry storms, unexpected action
-- order, cost overruns, stuck actions), with observed vs expected, score and context. All of them are kept here,
-- including those that the alert rate limit kept off the anomalies topic.
--
-- Keyed by a deterministic anomaly id (with time), so a replay stores each once. Indexed by (workflow_type,
-- action_type, time). TimescaleDB: a hypertable with daily chunks.

SELECT fs_create_history_table('anomalies', $cols$
    time          timestamptz      NOT NULL,
    anomaly_id    text             NOT NULL,
    kind          text             NOT NULL,
    tenant        text             NOT NULL,
    workflow_type text             NOT NULL,
    run_id        text,
    action_type   text,
    action_id     text,
    metric        text,
    observed      double precision NOT NULL,
    expected      double precision NOT NULL,
    score         double precision NOT NULL,
    context       jsonb            NOT NULL DEFAULT '{}',
    PRIMARY KEY (anomaly_id, time)
$cols$, 'time');

CREATE INDEX IF NOT EXISTS anomalies_type_action_time ON anomalies (workflow_type, action_type, time DESC);

DO $$
BEGIN
    GRANT SELECT, INSERT ON anomalies TO foreshadow_writer;
    GRANT SELECT ON anomalies TO foreshadow_analyst;
    GRANT ALL ON anomalies TO foreshadow_admin;
    ALTER TABLE anomalies ENABLE ROW LEVEL SECURITY;
    DROP POLICY IF EXISTS tenant_read ON anomalies;
    CREATE POLICY tenant_read ON anomalies FOR SELECT TO foreshadow_analyst
        USING (current_setting('foreshadow.tenant', true) IN (tenant, '*'));
    DROP POLICY IF EXISTS writer_all ON anomalies;
    CREATE POLICY writer_all ON anomalies TO foreshadow_writer, foreshadow_admin USING (true) WITH CHECK (true);
EXCEPTION WHEN undefined_object OR insufficient_privilege THEN
    RAISE NOTICE 'anomalies: roles not granted (%)', SQLERRM;
END $$;
