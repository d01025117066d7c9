-- V006: least-privilege roles and row-level security by tenant.
--
--   foreshadow_writer   what the job needs: insert history, create partitions (via the owner's functions)
--   foreshadow_analyst  reads aggregates (action_stats, arrivals, workflow_runs) and action_samples without the raw
--                       attributes column; sees only the tenant named in the session setting foreshadow.tenant
--                       ('*' for all)
--   foreshadow_admin    everything
--
-- The roles are NOLOGIN groups: grant them to login users (GRANT foreshadow_analyst TO alice). Where the
-- migrating user may not create roles, this step is skipped with a notice.

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['foreshadow_writer', 'foreshadow_analyst', 'foreshadow_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;

    GRANT USAGE ON SCHEMA public TO foreshadow_writer, foreshadow_analyst, foreshadow_admin;
    GRANT SELECT, INSERT ON action_samples, workflow_runs, action_stats, arrivals TO foreshadow_writer;
    GRANT SELECT ON fs_history_tables TO foreshadow_writer;
    GRANT SELECT ON action_stats, arrivals, workflow_runs TO foreshadow_analyst;
    GRANT SELECT (time, event_id, start_time, tenant, workflow_type, run_id, action_type, action_id, failed, attempt,
                  duration_ms, cpu_seconds, peak_cores, peak_memory_bytes, network_in_bytes, network_out_bytes,
                  bytes_read, bytes_written, encryption, certifications, cost, currency, cost_estimated)
        ON action_samples TO foreshadow_analyst;
    GRANT ALL ON ALL TABLES IN SCHEMA public TO foreshadow_admin;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'roles not created (%): grant access by hand', SQLERRM;
END $$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['action_samples', 'workflow_runs', 'action_stats', 'arrivals'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS tenant_read ON %I', t);
        EXECUTE format($p$CREATE POLICY tenant_read ON %I FOR SELECT TO foreshadow_analyst
                          USING (current_setting('foreshadow.tenant', true) IN (tenant, '*'))$p$, t);
        EXECUTE format('DROP POLICY IF EXISTS writer_all ON %I', t);
        EXECUTE format('CREATE POLICY writer_all ON %I TO foreshadow_writer, foreshadow_admin USING (true) WITH CHECK (true)', t);
    END LOOP;
EXCEPTION WHEN undefined_object THEN
    RAISE NOTICE 'row-level security not set: the roles do not exist';
END $$;
