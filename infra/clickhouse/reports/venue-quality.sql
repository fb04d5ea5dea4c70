-- Execution quality per venue (a scorecard): fill ratio, reject rate, acknowledgement latency (PLACE
-- command to the venue's ACCEPTED event), the effective fee (fees over notional, bps), and the
-- 5-second markout of each fill against the venue's own mid (positive = the price moved in our
-- favour; fill-markouts has every horizon).
-- Parameter: since_ms (epoch ms; 0 for everything).
SELECT
    venue, orders, filled, rejected,
    round(filled / orders, 6) AS fill_ratio,
    round(rejected / orders, 6) AS reject_rate,
    ack_p50_ms, ack_p99_ms, fills, effective_fee_bps, markout_5s_bps
FROM
(
    SELECT *
    FROM
    (
        SELECT venue, orders, filled, rejected, ack_p50_ms, ack_p99_ms
        FROM
        (
            SELECT venue, uniqExact(client_order_id) AS orders
            FROM crossvenue.exec_order_commands FINAL
            WHERE type = 'PLACE' AND created_at_ms >= {since_ms}
            GROUP BY venue
        ) AS commands
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
                FROM (SELECT venue, client_order_id, state, event, received_at_ms FROM crossvenue.exec_order_events FINAL WHERE received_at_ms >= {since_ms}) AS order_events
                ANY LEFT JOIN (SELECT client_order_id, min(created_at_ms) AS created_at_ms FROM crossvenue.exec_order_commands FINAL WHERE type = 'PLACE' GROUP BY client_order_id) AS placed
                USING client_order_id
            )
            GROUP BY venue
        ) AS events USING venue
    ) AS orders
    ANY LEFT JOIN
    (
        SELECT venue, count() AS fills,
               -- Fees in the quote currency, or in the base asset valued at the fill price, over the notional.
               round(toFloat64(sumIf(fee, fee_currency = quote) + sumIf(toDecimal128(fee, 9) * toDecimal128(price, 9), fee_currency = base))
                     / toFloat64(sumIf(toDecimal128(price, 9) * toDecimal128(quantity, 9), fee_currency = quote OR fee_currency = base)) * 10000, 3) AS effective_fee_bps
        FROM
        (
            SELECT venue, price, quantity, fee, fee_currency,
                   splitByChar('/', instrument)[1] AS base, splitByChar(':', splitByChar('/', instrument)[2])[1] AS quote
            FROM crossvenue.exec_fills FINAL
            WHERE venue_time_ms >= {since_ms}
        )
        GROUP BY venue
    ) AS fees USING venue
) AS scorecard
ANY LEFT JOIN
(
    SELECT venue, round(avg(fill_markout_bps), 3) AS markout_5s_bps
    FROM
    (
        -- As fill-markouts at 5 s: the venue's first book within 3 s after, joined by the second it arrived in.
        SELECT event_id, venue,
               if(any(side) = 'BUY', 1, -1) * (argMin(mid, snapshot_ms) - toFloat64(any(price))) / toFloat64(any(price)) * 10000 AS fill_markout_bps
        FROM
        (
            SELECT event_id, venue, instrument, side, price, venue_time_ms, intDiv(venue_time_ms + 5000, 1000) + arrayJoin([0, 1, 2, 3]) AS second
            FROM crossvenue.exec_fills FINAL
            WHERE venue_time_ms >= {since_ms}
        ) AS fill_seconds
        ALL INNER JOIN
        (
            SELECT venue, instrument, intDiv(received_at_ms, 1000) AS second, received_at_ms AS snapshot_ms,
                   (toFloat64(bids_price[1]) + toFloat64(asks_price[1])) / 2 AS mid
            FROM crossvenue.md_book_snapshots
            WHERE length(bids_price) > 0 AND length(asks_price) > 0 AND received_at_ms >= {since_ms}
        ) AS books USING venue, instrument, second
        WHERE snapshot_ms >= venue_time_ms + 5000 AND snapshot_ms <= venue_time_ms + 8000
        GROUP BY event_id, venue
    )
    GROUP BY venue
) AS markouts USING venue
ORDER BY venue
