-- Execution quality per venue: fill ratio, reject rate, acknowledgement latency (PLACE command to
-- the venue's ACCEPTED event), and a 5-second
-- markout of each fill against the venue's own mid (positive = the price moved in our favour).
-- Parameter: since_ms (epoch ms; 0 for everything).
SELECT
    venue, orders, filled, rejected,
    round(filled / orders, 6) AS fill_ratio,
    round(rejected / orders, 6) AS reject_rate,
    ack_p50_ms, ack_p99_ms, fills, markout_5s_bps
FROM
(
    SELECT venue, orders, filled, rejected, ack_p50_ms, ack_p99_ms
    FROM
    (
        SELECT venue, uniqExact(client_order_id) AS orders
        FROM crossvenue.exec_order_commands FINAL
        WHERE type = 'PLACE' AND created_at_ms >= {since_ms}
        GROUP BY venue
    )
    ANY LEFT JOIN
    (
        SELECT venue,
               uniqExactIf(client_order_id, state = 'FILLED') AS filled,
               uniqExactIf(client_order_id, state = 'REJECTED') AS rejected,
               quantileExactIf(0.5)(ack_ms, event = 'ACCEPTED') AS ack_p50_ms,
               quantileExactIf(0.99)(ack_ms, event = 'ACCEPTED') AS ack_p99_ms
        FROM
        (
            SELECT venue, client_order_id, state, event, received_at_ms - created_at_ms AS ack_ms
            FROM (SELECT venue, client_order_id, state, event, received_at_ms FROM crossvenue.exec_order_events FINAL WHERE received_at_ms >= {since_ms})
            ANY LEFT JOIN (SELECT client_order_id, min(created_at_ms) AS created_at_ms FROM crossvenue.exec_order_commands FINAL WHERE type = 'PLACE' GROUP BY client_order_id)
            USING client_order_id
        )
        GROUP BY venue
    ) USING venue
)
ANY LEFT JOIN
(
    SELECT venue, count() AS fills, round(avg(markout_bps), 3) AS markout_5s_bps
    FROM
    (
        SELECT venue, if(side = 'BUY', 1, -1) * (mid_after - toFloat64(price)) / toFloat64(price) * 10000 AS markout_bps
        FROM
        (
            SELECT event_id, venue, any(side) AS side, any(price) AS price, argMin(mid, snapshot_ms) AS mid_after
            FROM
            (
                SELECT event_id, venue, instrument, side, price, venue_time_ms FROM crossvenue.exec_fills FINAL WHERE venue_time_ms >= {since_ms}
            )
            ALL INNER JOIN
            (
                SELECT venue, instrument, received_at_ms AS snapshot_ms, (toFloat64(bids_price[1]) + toFloat64(asks_price[1])) / 2 AS mid
                FROM crossvenue.md_book_snapshots
                WHERE length(bids_price) > 0 AND length(asks_price) > 0
            ) USING venue, instrument
            WHERE snapshot_ms >= venue_time_ms + 5000
            GROUP BY event_id, venue
        )
    )
    GROUP BY venue
) USING venue
ORDER BY venue
