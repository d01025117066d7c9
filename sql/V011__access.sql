-- V011: access control that holds against the roles themselves (issue 12). Replaces V006's grants and policies.
--
--   foreshadow_writer     ShadowJob: inserts history, creates partitions and enforces retention through the
--                         owner's narrow functions; reads nothing (no attributes, no models), writes no models
--   foreshadow_analyst    reads aggregates, samples without the raw attributes, anomalies, external events,
--                         allocation tables and model metadata, of the tenants its login is bound to
--   foreshadow_trainer    reads history without attributes (its login's tenants) and writes models
--   foreshadow_allocator  AllocationJob: reads allocation commands (its login's tenants), writes commands and events
--   foreshadow_admin      owns every object (on plain PostgreSQL; see below for TimescaleDB) and runs the migrations
--
-- Tenants are bound to the login, not to a session setting: fs_tenant_logins maps a login (current_user) to the
-- tenants it may read ('*' for all, an admin's explicit choice); every reading policy looks there, and that table
-- shows each login only its own rows. An empty tenant is refused by a CHECK on every tenant column.
--
-- COPY FROM is refused on a table with row-level security for a role it applies to (SQLSTATE 0A000), and a staging
-- table made with LIKE needs SELECT on the table: the sink COPYs each day's rows into that day's partition, on which
-- fs_ensure_partitions grants INSERT to the parent's inserters only; on TimescaleDB, into a staging table whose
-- columns it reads from the catalog (see DISCUSSION.md, "The writer's COPY under row-level security").
--
-- Allocation tables hold pools, not tenants: a pool belongs to the tenant fs_pool_tenants names for it (configured
-- pools, '*' for a pool shared by all), else to the prefix of its name before '/' (the default pool of a workflow
-- type is tenant/type). A new tenant table (forecasts, workflow_dependencies, ...) calls
-- fs_secure_tenant_table(name, readers, writers) in its migration and grants its columns, as done below.

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['foreshadow_writer', 'foreshadow_analyst', 'foreshadow_trainer', 'foreshadow_allocator',
                             'foreshadow_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END $$;

CREATE TABLE IF NOT EXISTS fs_tenant_logins (
    login  name NOT NULL,
    tenant text NOT NULL CHECK (tenant <> '' AND tenant = btrim(tenant)),
    PRIMARY KEY (login, tenant)
);
ALTER TABLE fs_tenant_logins ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS own_login ON fs_tenant_logins;
CREATE POLICY own_login ON fs_tenant_logins FOR SELECT USING (login = current_user);

CREATE TABLE IF NOT EXISTS fs_pool_tenants (
    pool   text PRIMARY KEY,
    tenant text NOT NULL CHECK (tenant <> '' AND tenant = btrim(tenant))
);

-- Whether the current login may read rows of tenant t. Invoker's rights: current_user is the querying login.
CREATE OR REPLACE FUNCTION fs_tenant_visible(t text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM fs_tenant_logins m WHERE m.login = current_user AND m.tenant IN (t, '*'))
$$;

-- The tenant a pool belongs to (see the banner).
CREATE OR REPLACE FUNCTION fs_pool_tenant(p text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT tenant FROM fs_pool_tenants WHERE pool = p), nullif(split_part(p, '/', 1), ''))
$$;

-- Row-level security by tenant on one table: a CHECK against an empty tenant, the setting-based policies of V006
-- replaced by reading policies bound to the login for `readers`, and an insert-only policy for `writers`.
-- `tenant_expr` is how a row's tenant is found (a column, or fs_pool_tenant(pool)).
CREATE OR REPLACE FUNCTION fs_secure_tenant_table(tbl text, readers text[], writers text[],
                                                  tenant_expr text DEFAULT 'tenant') RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF tenant_expr = 'tenant' AND NOT EXISTS (
            SELECT 1 FROM pg_constraint WHERE conrelid = tbl::regclass AND conname = tbl || '_tenant_not_empty') THEN
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (tenant <> %L)', tbl, tbl || '_tenant_not_empty', '');
    END IF;
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tbl);
    EXECUTE format('DROP POLICY IF EXISTS tenant_read ON %I', tbl);
    EXECUTE format('DROP POLICY IF EXISTS writer_all ON %I', tbl);
    EXECUTE format('DROP POLICY IF EXISTS writer_insert ON %I', tbl);
    EXECUTE format('CREATE POLICY tenant_read ON %I FOR SELECT TO %s USING (fs_tenant_visible(%s))',
                   tbl, (SELECT string_agg(quote_ident(r), ', ') FROM unnest(readers) r), tenant_expr);
    EXECUTE format('CREATE POLICY writer_insert ON %I FOR INSERT TO %s WITH CHECK (true)',
                   tbl, (SELECT string_agg(quote_ident(w), ', ') FROM unnest(writers) w));
END $$;

-- Gives a partition's INSERT to the roles that may insert into its parent, and nothing else: the writer COPYs into
-- partitions (which have no row-level security of their own), readers only ever see the parent.
CREATE OR REPLACE FUNCTION fs_grant_partition_insert(tbl text, part text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    r text;
BEGIN
    FOR r IN SELECT DISTINCT pg_get_userbyid(a.grantee) FROM pg_class c, aclexplode(c.relacl) a
             WHERE c.oid = tbl::regclass AND a.privilege_type = 'INSERT' AND a.grantee NOT IN (0, c.relowner)
    LOOP
        EXECUTE format('GRANT INSERT ON %I TO %I', part, r);
    END LOOP;
END $$;

-- Partitions for [from_day, to_day], bounded: at most 31 days a call, none older than ten years or more than 31
-- days ahead (the job rejects events beyond its clock skew long before), so no login can exhaust the server's locks.
CREATE OR REPLACE FUNCTION fs_ensure_partitions(tbl text, from_day date, to_day date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    d date;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM fs_history_tables WHERE name = tbl) THEN
        RAISE EXCEPTION 'fs_ensure_partitions: % is not a history table', tbl USING ERRCODE = '42501';
    END IF;
    IF to_day < from_day OR to_day - from_day > 31 THEN
        RAISE EXCEPTION 'fs_ensure_partitions: refusing % to % of % (at most 31 days a call)', from_day, to_day, tbl
            USING ERRCODE = '22023';
    END IF;
    IF from_day < current_date - 3660 OR to_day > current_date + 31 THEN
        RAISE EXCEPTION 'fs_ensure_partitions: refusing % to % of % (days within ten years back and 31 days ahead)',
            from_day, to_day, tbl USING ERRCODE = '22008';
    END IF;
    IF fs_has_timescaledb() THEN
        RETURN;
    END IF;
    d := from_day;
    WHILE d <= to_day LOOP
        BEGIN
            EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                           tbl || '_p' || to_char(d, 'YYYYMMDD'), tbl,
                           d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');
        EXCEPTION WHEN duplicate_table OR unique_violation THEN
            NULL; -- another writer created it first
        END;
        PERFORM fs_grant_partition_insert(tbl, tbl || '_p' || to_char(d, 'YYYYMMDD'));
        d := d + 1;
    END LOOP;
END $$;

-- Retention as the owner, for the writer: drops only whole expired partitions of registered history tables (on
-- TimescaleDB it sets the retention policies, as the login that owns the hypertables), never with a retention under
-- one day.
CREATE OR REPLACE FUNCTION fs_enforce_retention(retention interval) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF retention < interval '1 day' THEN
        RAISE EXCEPTION 'fs_enforce_retention: a retention of % is under one day', retention USING ERRCODE = '22023';
    END IF;
    RETURN fs_apply_retention(retention);
END $$;

-- The admin group owns every foreshadow object, whichever login ran the earlier migrations. Not on TimescaleDB: its
-- background jobs (retention policies) run as the hypertable's owner, which must be a login, so there the objects
-- stay with the login that ran the migrations (a member of foreshadow_admin).
DO $$
DECLARE
    o record;
BEGIN
    IF fs_has_timescaledb() THEN
        NULL; -- TimescaleDB: the objects stay with the login that ran the migrations
    ELSE
        FOR o IN SELECT c.relname, c.relkind FROM pg_class c
                 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'S', 'v')
                   AND NOT c.relispartition AND pg_get_userbyid(c.relowner) <> 'foreshadow_admin'
                   AND (c.relkind <> 'S' OR NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'a'))
        LOOP
            EXECUTE format('ALTER %s %I OWNER TO foreshadow_admin',
                           CASE o.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, o.relname);
        END LOOP;
        -- partitions made before now: their parent's new owner, so that retention (as the owner) may drop them
        FOR o IN SELECT c.relname FROM pg_class c
                 WHERE c.relnamespace = 'public'::regnamespace AND c.relispartition
                   AND pg_get_userbyid(c.relowner) <> 'foreshadow_admin'
        LOOP
            EXECUTE format('ALTER TABLE %I OWNER TO foreshadow_admin', o.relname);
        END LOOP;
        FOR o IN SELECT p.oid::regprocedure AS f FROM pg_proc p
                 WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'fs\_%'
                   AND pg_get_userbyid(p.proowner) <> 'foreshadow_admin'
        LOOP
            EXECUTE format('ALTER FUNCTION %s OWNER TO foreshadow_admin', o.f);
        END LOOP;
    END IF;
END $$;

GRANT USAGE ON SCHEMA public
    TO foreshadow_writer, foreshadow_analyst, foreshadow_trainer, foreshadow_allocator, foreshadow_admin;
GRANT CREATE ON SCHEMA public TO foreshadow_admin;

-- V006-V010 granted the writer SELECT everywhere and INSERT on models: take all of it back, then grant only what
-- each role needs.
REVOKE ALL ON action_samples, workflow_runs, action_stats, arrivals, anomalies, external_events, models,
              allocation_commands, allocation_events, fs_history_tables, fs_schema_migrations
    FROM foreshadow_writer, foreshadow_analyst, foreshadow_trainer, foreshadow_allocator;
REVOKE ALL ON SEQUENCE models_id_seq FROM foreshadow_writer;
REVOKE EXECUTE ON FUNCTION fs_ensure_partitions(text, date, date), fs_apply_retention(interval),
                           fs_enforce_retention(interval), fs_create_history_table(text, text, text),
                           fs_secure_tenant_table(text, text[], text[], text),
                           fs_grant_partition_insert(text, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fs_ensure_partitions(text, date, date), fs_enforce_retention(interval)
    TO foreshadow_writer, foreshadow_allocator;

-- every role may see which migrations ran, so a job or command finds the schema up to date without writing it
GRANT SELECT ON fs_schema_migrations
    TO foreshadow_writer, foreshadow_analyst, foreshadow_trainer, foreshadow_allocator;
GRANT SELECT ON fs_tenant_logins TO foreshadow_analyst, foreshadow_trainer, foreshadow_allocator;
GRANT SELECT ON fs_pool_tenants TO foreshadow_analyst, foreshadow_allocator;

GRANT INSERT ON action_samples, workflow_runs, action_stats, arrivals, anomalies, external_events
    TO foreshadow_writer;
GRANT SELECT ON action_stats, arrivals, workflow_runs, anomalies, external_events, allocation_commands,
                allocation_events
    TO foreshadow_analyst;
GRANT SELECT ON action_stats, arrivals, workflow_runs, anomalies, external_events TO foreshadow_trainer;
GRANT SELECT (time, event_id, start_time, tenant, workflow_type, run_id, action_type, action_id, failed, attempt,
              duration_ms, cpu_seconds, peak_cores, peak_memory_bytes, network_in_bytes, network_out_bytes,
              bytes_read, bytes_written, encryption, certifications, cost, currency, cost_estimated)
    ON action_samples TO foreshadow_analyst, foreshadow_trainer;
GRANT SELECT (id, workflow_type, model_type, version, training_from, training_to, metrics, created_at)
    ON models TO foreshadow_analyst;
GRANT SELECT, INSERT ON models TO foreshadow_trainer;
GRANT USAGE ON SEQUENCE models_id_seq TO foreshadow_trainer;
GRANT SELECT, INSERT ON allocation_commands TO foreshadow_allocator;
GRANT INSERT ON allocation_events TO foreshadow_allocator;
GRANT ALL ON ALL TABLES IN SCHEMA public TO foreshadow_admin;

SELECT fs_secure_tenant_table(t, ARRAY['foreshadow_analyst', 'foreshadow_trainer'], ARRAY['foreshadow_writer'])
FROM unnest(ARRAY['action_samples', 'workflow_runs', 'action_stats', 'arrivals', 'anomalies', 'external_events']) t;
SELECT fs_secure_tenant_table('allocation_commands', ARRAY['foreshadow_analyst', 'foreshadow_allocator'],
                              ARRAY['foreshadow_allocator'], 'fs_pool_tenant(pool)');
SELECT fs_secure_tenant_table('allocation_events', ARRAY['foreshadow_analyst'], ARRAY['foreshadow_allocator'],
                              'fs_pool_tenant(pool)');

-- the partitions made before now: INSERT for their parent's inserters (V006-V010 granted nothing on them)
SELECT fs_grant_partition_insert(parent.relname, c.relname)
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class parent ON parent.oid = i.inhparent
WHERE parent.relname IN (SELECT name FROM fs_history_tables);
