-- V012: hourly action statistics for every path, and TimescaleDB's compression and continuous aggregates where the
-- extension is present.
--
--   action_stats_hourly  per hour and (tenant, workflow type, action type), from action_samples: samples, failures,
--                        duration mean/p50/p95/p99/max, CPU seconds, peak cores, memory GiB-seconds, bytes moved and
--                        cost. A view with the same columns and results on both paths; the analyst and trainer roles
--                        read it for their login's tenants only (fs_tenant_logins, V011), as row-level security
--                        does for the tables. TimescaleDB: it reads the continuous aggregate fs_action_stats_hourly (real-time:
--                        the hours not yet materialised are computed from the samples on read), refreshed every
--                        30 minutes for the last 3 days, and kept for history.retention like the tables. Plain
--                        PostgreSQL: computed from action_samples on read.
--   compression          TimescaleDB only: fs_enable_compression(after) compresses the chunks older than `after` of
--                        the large hypertables (action_samples, workflow_runs, action_stats, anomalies,
--                        allocation_events, and the hourly aggregate), segmented by the columns the queries filter on
--                        and ordered by time; the sink still writes into compressed chunks (a straggler, a replay).
--                        TimescaleDB refuses compression on a table with row-level security (its compressed rows
--                        would escape the policy), so the tables that V006 and V011 give tenant policies are compressed only
--                        once a single-tenant deployment has turned their row-level security off (README, History);
--                        this migration compresses the others (allocation_events, the aggregate) after 7 days.

-- Whether the current user may read a row of tenant t through a view that cannot carry row-level security itself:
-- the rule of the tables' tenant policies (fs_tenant_visible, V011: the login's tenants), and every row for those
-- the policies do not bind (superusers, roles that bypass row-level security, the admin group that owns the tables).
CREATE OR REPLACE FUNCTION fs_view_visible(t text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT fs_tenant_visible(t)
        OR (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user)
        OR pg_has_role(current_user, 'foreshadow_admin', 'MEMBER')
$$;

-- Compression policies (TimescaleDB) on the large hypertables without row-level security, and on the hourly
-- aggregate; a table with row-level security is skipped with a notice. Idempotent: call it again after turning a
-- table's row-level security off (single tenant) to compress that one too.
CREATE OR REPLACE FUNCTION fs_enable_compression(compress_after interval) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    enabled text[] := '{}';
BEGIN
    IF NOT fs_has_timescaledb() THEN
        RETURN enabled;
    END IF;
    FOR t IN SELECT * FROM (VALUES
            ('action_samples',    'workflow_type, action_type', 'time DESC, event_id'),
            ('workflow_runs',     'workflow_type',              'time DESC, run_id'),
            ('action_stats',      'workflow_type, action_type', 'bucket DESC, tenant'),
            ('anomalies',         'workflow_type',              'time DESC, anomaly_id'),
            ('allocation_events', 'pool',                       'time DESC, event_id')) AS c(tbl, segment_by, order_by)
    LOOP
        IF (SELECT relrowsecurity FROM pg_class WHERE oid = t.tbl::regclass) THEN
            RAISE NOTICE '%: not compressed, it has row-level security (tenant policies)', t.tbl;
            CONTINUE;
        END IF;
        EXECUTE format('ALTER TABLE %I SET (timescaledb.compress, timescaledb.compress_segmentby = %L,'
                       ' timescaledb.compress_orderby = %L)', t.tbl, t.segment_by, t.order_by);
        PERFORM add_compression_policy(t.tbl, compress_after => compress_after, if_not_exists => true);
        enabled := enabled || t.tbl;
    END LOOP;
    IF to_regclass('fs_action_stats_hourly') IS NOT NULL THEN
        ALTER MATERIALIZED VIEW fs_action_stats_hourly SET (timescaledb.compress = true,
            timescaledb.compress_segmentby = 'tenant, workflow_type, action_type',
            timescaledb.compress_orderby = 'hour DESC');
        PERFORM add_compression_policy('fs_action_stats_hourly', compress_after => compress_after,
                                       if_not_exists => true);
        enabled := enabled || 'fs_action_stats_hourly'::text;
    END IF;
    RETURN enabled;
END $$;

-- The aggregates retention applies to beside the tables of fs_history_tables (TimescaleDB only).
CREATE TABLE IF NOT EXISTS fs_history_aggregates (
    name text PRIMARY KEY
);

DO $$
DECLARE
    t record;
BEGIN
    IF NOT fs_has_timescaledb() THEN
        CREATE OR REPLACE VIEW action_stats_hourly WITH (security_barrier) AS
        SELECT date_bin('1 hour', time, timestamptz '2000-01-01 00:00:00+00') AS hour,
               tenant, workflow_type, action_type,
               count(*)                                                       AS samples,
               count(*) FILTER (WHERE failed)                                 AS failures,
               avg(duration_ms)::double precision                             AS duration_mean_ms,
               percentile_cont(0.50) WITHIN GROUP (ORDER BY duration_ms)      AS duration_p50_ms,
               percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)      AS duration_p95_ms,
               percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms)      AS duration_p99_ms,
               max(duration_ms)                                               AS duration_max_ms,
               sum(cpu_seconds)                                               AS cpu_seconds,
               max(peak_cores)                                                AS peak_cores_max,
               sum(peak_memory_bytes / 1073741824.0 * duration_ms / 1000.0)::double precision AS memory_gib_seconds,
               sum(network_in_bytes)::bigint                                  AS network_in_bytes,
               sum(network_out_bytes)::bigint                                 AS network_out_bytes,
               sum(bytes_read)::bigint                                        AS bytes_read,
               sum(bytes_written)::bigint                                     AS bytes_written,
               sum(cost)                                                      AS cost
        FROM action_samples
        WHERE fs_view_visible(tenant)
        GROUP BY 1, 2, 3, 4;
    ELSE
        -- a continuous aggregate may not be created on a hypertable with row-level security (it would bypass it):
        -- it is created with the policy lifted inside this transaction, and rows reach the analyst only through the
        -- view below, which applies the same tenant rule
        ALTER TABLE action_samples DISABLE ROW LEVEL SECURITY;
        CREATE MATERIALIZED VIEW IF NOT EXISTS fs_action_stats_hourly
        WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
        SELECT time_bucket('1 hour', time) AS hour,
               tenant, workflow_type, action_type,
               count(*)                                                       AS samples,
               count(*) FILTER (WHERE failed)                                 AS failures,
               avg(duration_ms)::double precision                             AS duration_mean_ms,
               percentile_cont(0.50) WITHIN GROUP (ORDER BY duration_ms)      AS duration_p50_ms,
               percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)      AS duration_p95_ms,
               percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms)      AS duration_p99_ms,
               max(duration_ms)                                               AS duration_max_ms,
               sum(cpu_seconds)                                               AS cpu_seconds,
               max(peak_cores)                                                AS peak_cores_max,
               sum(peak_memory_bytes / 1073741824.0 * duration_ms / 1000.0)::double precision AS memory_gib_seconds,
               sum(network_in_bytes)::bigint                                  AS network_in_bytes,
               sum(network_out_bytes)::bigint                                 AS network_out_bytes,
               sum(bytes_read)::bigint                                        AS bytes_read,
               sum(bytes_written)::bigint                                     AS bytes_written,
               sum(cost)                                                      AS cost
        FROM action_samples
        GROUP BY 1, 2, 3, 4
        WITH NO DATA;
        ALTER TABLE action_samples ENABLE ROW LEVEL SECURITY;
        -- the newest hour stays real-time (it is still filling); older hours are materialised every 30 minutes
        PERFORM add_continuous_aggregate_policy('fs_action_stats_hourly',
            start_offset => interval '3 days', end_offset => interval '1 hour',
            schedule_interval => interval '30 minutes', if_not_exists => true);
        INSERT INTO fs_history_aggregates (name) VALUES ('fs_action_stats_hourly') ON CONFLICT DO NOTHING;
        CREATE OR REPLACE VIEW action_stats_hourly WITH (security_barrier) AS
        SELECT * FROM fs_action_stats_hourly WHERE fs_view_visible(tenant);

        PERFORM fs_enable_compression(interval '7 days');
    END IF;
END $$;

-- Retention as V001 applies it, and on TimescaleDB the same retention for the aggregates of fs_history_aggregates,
-- so that an hour leaves action_stats_hourly when its samples leave action_samples.
CREATE OR REPLACE FUNCTION fs_apply_retention(retention interval) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    p record;
    dropped integer := 0;
    cutoff date := ((now() - retention) AT TIME ZONE 'UTC')::date;
BEGIN
    FOR t IN SELECT name FROM fs_history_tables UNION ALL SELECT name FROM fs_history_aggregates LOOP
        IF fs_has_timescaledb() THEN
            EXECUTE format('SELECT remove_retention_policy(%L, if_exists => true)', t.name);
            EXECUTE format('SELECT add_retention_policy(%L, %L::interval)', t.name, retention);
        ELSE
            FOR p IN
                SELECT c.relname FROM pg_inherits i
                JOIN pg_class c ON c.oid = i.inhrelid
                JOIN pg_class parent ON parent.oid = i.inhparent
                WHERE parent.relname = t.name AND c.relname ~ ('^' || t.name || '_p[0-9]{8}$')
            LOOP
                -- partition p covers one day; it expires once that day has ended before the cutoff
                IF to_date(right(p.relname, 8), 'YYYYMMDD') < cutoff THEN
                    EXECUTE format('DROP TABLE %I', p.relname);
                    dropped := dropped + 1;
                END IF;
            END LOOP;
        END IF;
    END LOOP;
    RETURN dropped;
END $$;

DO $$
BEGIN
    GRANT SELECT ON action_stats_hourly TO foreshadow_analyst, foreshadow_trainer, foreshadow_admin;
    GRANT SELECT ON fs_history_aggregates TO foreshadow_writer;
EXCEPTION WHEN undefined_object OR insufficient_privilege THEN
    RAISE NOTICE 'action_stats_hourly: roles not granted (%)', SQLERRM;
END $$;
