-- A pool's capacity by lifecycle state over the last day, against its target: the last change of each minute.
-- Reads: allocation_events (each row carries the pool's capacity after it; uses the (pool, time) index).
-- Analyst role: yes.
SELECT DISTINCT ON (pool, date_trunc('minute', time))
       pool,
       date_trunc('minute', time) AS minute,
       target,
       requested + provisioning + warming AS coming,
       ready + in_service                 AS ready,
       in_service,
       draining,
       failed
FROM allocation_events
WHERE time >= now() - interval '1 day' AND target IS NOT NULL
ORDER BY pool, date_trunc('minute', time), time DESC, event_id;
