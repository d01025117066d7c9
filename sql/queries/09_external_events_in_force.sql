-- Which external events are in force or announced for the next 7 days, latest signed version of each event,
-- with who signed it. Reads: external_events.
SELECT DISTINCT ON (tenant, event_id)
       tenant, event_id, kind, source, start_time, end_time, magnitude,
       array_to_string(workflow_types, ',') AS workflow_types, announced_at, key_id, signed_at
FROM external_events
WHERE end_time >= now() AND start_time < now() + interval '7 days'
ORDER BY tenant, event_id, signed_at DESC;
