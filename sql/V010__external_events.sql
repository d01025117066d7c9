-- V010: external_events, every external event ShadowJob accepted: signed by a known key, fresh, valid and not a
-- replay (rejected ones go to the dead-letters topic with their reason, never here).
--
-- One row per signed record, keyed by (key_id, nonce, signed_at): a replay of the topic stores each once. The row
-- keeps the signed body and its signature, so anyone holding the key can verify it again. A re-sent event (a new
-- signature of the same event_id) is a new row; the latest signed_at of an event_id is the one in force.
-- Partitioned by signed_at (within external-events.max-age of its receipt); TimescaleDB: a hypertable with daily
-- chunks and the history retention policy. Indexed by (tenant, end_time) for "what is active or announced".

SELECT fs_create_history_table('external_events', $cols$
    signed_at      timestamptz      NOT NULL,
    key_id         text             NOT NULL,
    nonce          text             NOT NULL,
    event_id       text             NOT NULL,
    tenant         text             NOT NULL,
    source         text             NOT NULL,
    kind           text             NOT NULL,
    start_time     timestamptz      NOT NULL,
    end_time       timestamptz      NOT NULL CHECK (end_time > start_time),
    magnitude      double precision NOT NULL CHECK (magnitude >= 0),
    workflow_types text[]           NOT NULL DEFAULT '{}',
    announced_at   timestamptz      NOT NULL,
    received_at    timestamptz      NOT NULL,
    signature      text             NOT NULL,
    body           text             NOT NULL,
    PRIMARY KEY (key_id, nonce, signed_at)
$cols$, 'signed_at');

CREATE INDEX IF NOT EXISTS external_events_tenant_end ON external_events (tenant, end_time DESC);

DO $$
BEGIN
    GRANT SELECT, INSERT ON external_events TO foreshadow_writer;
    GRANT SELECT ON external_events TO foreshadow_analyst;
    GRANT ALL ON external_events TO foreshadow_admin;
    ALTER TABLE external_events ENABLE ROW LEVEL SECURITY;
    DROP POLICY IF EXISTS tenant_read ON external_events;
    CREATE POLICY tenant_read ON external_events FOR SELECT TO foreshadow_analyst
        USING (current_setting('foreshadow.tenant', true) IN (tenant, '*'));
    DROP POLICY IF EXISTS writer_all ON external_events;
    CREATE POLICY writer_all ON external_events TO foreshadow_writer, foreshadow_admin USING (true) WITH CHECK (true);
EXCEPTION WHEN undefined_object OR insufficient_privilege THEN
    RAISE NOTICE 'external_events: roles not granted (%)', SQLERRM;
END $$;
