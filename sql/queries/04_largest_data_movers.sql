-- Largest data movers: the action types that moved the most bytes (network in + out, read + written) in 7 days.
-- Reads: action_stats (per-minute sums), so it is cheap even over long periods.
SELECT workflow_type,
       action_type,
       sum(count)                                                     AS actions,
       pg_size_pretty(sum(network_in_bytes + network_out_bytes)::bigint) AS network,
       pg_size_pretty(sum(bytes_read + bytes_written)::bigint)           AS storage_io,
       pg_size_pretty((sum(network_in_bytes + network_out_bytes) / nullif(sum(count), 0))::bigint) AS network_per_action
FROM action_stats
WHERE bucket >= now() - interval '7 days'
GROUP BY workflow_type, action_type
ORDER BY sum(network_in_bytes + network_out_bytes + bytes_read + bytes_written) DESC
LIMIT 15;
