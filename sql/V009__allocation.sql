-- V009: allocation_commands and allocation_events, the two halves of allocation's history.
--
--   allocation_commands  every command, as the planner (ShadowJob) issues it and AllocationJob receives it: a floor
--                        "pool must have at least N instances (cores, memory, network) ready by ready_by, until
--                        expires_at", with the quantile it was sized at, why, whether it is a dry run, the rule that
--                        decided it and what it rests on (basis: the forecast, the reactive ask, models, inputs). Keyed by
--                        (command_id, issued_at): both jobs may write a command, and a replay, once.
--   allocation_events    the audit of every change AllocationJob makes or sees: a command taken, the pool's target, an
--                        instance's lifecycle step (from_state -> to_state), a request, a failed call; on whose behalf
--                        (command_id), by which rule, when, with what result, and the pool's capacity after it (the
--                        count columns; null on the outcome of a call, whose effect the next observation shows), so
--                        capacity by state over time is one query. Keyed by its deterministic event_id (with time),
--                        so a replay stores each once.
--
-- Both are partitioned by day and indexed by (pool, time). TimescaleDB: hypertables with daily chunks. Retention:
-- history.retention, like every history table. The analyst reads both (pools hold no personal data).

SELECT fs_create_history_table('allocation_commands', $cols$
    issued_at                timestamptz      NOT NULL,
    command_id               text             NOT NULL,
    pool                     text             NOT NULL,
    cores                    double precision NOT NULL CHECK (cores >= 0),
    memory_bytes             bigint           NOT NULL CHECK (memory_bytes >= 0),
    network_bytes_per_second bigint           NOT NULL CHECK (network_bytes_per_second >= 0),
    instances                integer          NOT NULL CHECK (instances >= 0),
    ready_by                 timestamptz      NOT NULL,
    expires_at               timestamptz      NOT NULL,
    certifications           text[]           NOT NULL DEFAULT '{}',
    quantile                 double precision,
    reason                   text             NOT NULL,
    dry_run                  boolean          NOT NULL DEFAULT false,
    rule                     text,
    basis                    jsonb,
    PRIMARY KEY (command_id, issued_at)
$cols$, 'issued_at');

CREATE INDEX IF NOT EXISTS allocation_commands_pool_time ON allocation_commands (pool, issued_at DESC);

SELECT fs_create_history_table('allocation_events', $cols$
    time         timestamptz NOT NULL,
    event_id     text        NOT NULL,
    pool         text        NOT NULL,
    action       text        NOT NULL,
    command_id   text,
    instance_id  text,
    from_state   text,
    to_state     text,
    rule         text        NOT NULL,
    result       text        NOT NULL,
    target       integer,
    requested    integer,
    provisioning integer,
    warming      integer,
    ready        integer,
    in_service   integer,
    draining     integer,
    failed       integer,
    PRIMARY KEY (event_id, time)
$cols$, 'time');

CREATE INDEX IF NOT EXISTS allocation_events_pool_time ON allocation_events (pool, time DESC);
CREATE INDEX IF NOT EXISTS allocation_events_command ON allocation_events (command_id) WHERE command_id IS NOT NULL;

DO $$
BEGIN
    GRANT SELECT, INSERT ON allocation_commands, allocation_events TO foreshadow_writer;
    GRANT SELECT ON allocation_commands, allocation_events TO foreshadow_analyst;
    GRANT ALL ON allocation_commands, allocation_events TO foreshadow_admin;
EXCEPTION WHEN undefined_object OR insufficient_privilege THEN
    RAISE NOTICE 'allocation tables: roles not granted (%)', SQLERRM;
END $$;
