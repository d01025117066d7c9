-- V001: the helpers every history table is built with.
--
-- History tables are time series. When the TimescaleDB extension is available they are hypertables (chunks of one
-- day, retention by add_retention_policy); on plain PostgreSQL they are declaratively partitioned by day, partitions
-- are created ahead of each write by fs_ensure_partitions(), and fs_apply_retention() drops expired ones. Both paths
-- keep the same table names and columns, so queries never need to know which one is in use.

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
        CREATE EXTENSION IF NOT EXISTS timescaledb;
    END IF;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'timescaledb not enabled (%): using plain partitioned tables', SQLERRM;
END $$;

CREATE TABLE IF NOT EXISTS fs_history_tables (
    name        text PRIMARY KEY,
    time_column text NOT NULL
);

CREATE OR REPLACE FUNCTION fs_has_timescaledb() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
$$;

-- Creates a history table partitioned by day on time_column (a hypertable when TimescaleDB is present).
CREATE OR REPLACE FUNCTION fs_create_history_table(tbl text, columns text, time_column text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass(tbl) IS NULL THEN
        IF fs_has_timescaledb() THEN
            EXECUTE format('CREATE TABLE %I (%s)', tbl, columns);
            EXECUTE format('SELECT create_hypertable(%L, %L, chunk_time_interval => interval ''1 day'')',
                           tbl, time_column);
        ELSE
            EXECUTE format('CREATE TABLE %I (%s) PARTITION BY RANGE (%I)', tbl, columns, time_column);
        END IF;
    END IF;
    INSERT INTO fs_history_tables (name, time_column) VALUES (tbl, time_column) ON CONFLICT DO NOTHING;
END $$;

-- Makes sure daily partitions exist for [from_day, to_day]; a no-op on TimescaleDB, which makes chunks itself.
-- Safe to call concurrently from several writers.
-- SECURITY DEFINER so that the writer role can add partitions to tables it does not own.
CREATE OR REPLACE FUNCTION fs_ensure_partitions(tbl text, from_day date, to_day date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    d date;
BEGIN
    IF fs_has_timescaledb() THEN
        RETURN;
    END IF;
    IF to_day - from_day > 3660 THEN
        RAISE EXCEPTION 'refusing to create % partitions of % at once', to_day - from_day + 1, tbl;
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
        d := d + 1;
    END LOOP;
END $$;

-- Enforces the retention of every history table: TimescaleDB retention policies when present, else drops the
-- daily partitions whose whole day lies before now() - retention. Returns how many partitions were dropped.
CREATE OR REPLACE FUNCTION fs_apply_retention(retention interval) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    p record;
    dropped integer := 0;
    cutoff date := ((now() - retention) AT TIME ZONE 'UTC')::date;
BEGIN
    FOR t IN SELECT name FROM fs_history_tables LOOP
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
