-- Was capacity ready in time? Per pool and day: floors whose readyBy was met or missed, warm-ups that failed their
-- validation (each replaced), and instances put in service.
-- Reads: allocation_events. Analyst role: yes.
SELECT pool,
       date_trunc('day', time)                                                        AS day,
       count(*) FILTER (WHERE action = 'ready-by' AND result LIKE 'met:%')            AS ready_by_met,
       count(*) FILTER (WHERE action = 'ready-by' AND result LIKE 'missed:%')         AS ready_by_missed,
       count(*) FILTER (WHERE to_state = 'failed' AND from_state = 'warming')         AS warm_ups_failed,
       count(*) FILTER (WHERE to_state = 'in-service')                                AS put_in_service
FROM allocation_events
WHERE time >= now() - interval '30 days'
GROUP BY 1, 2
ORDER BY day DESC, pool;
