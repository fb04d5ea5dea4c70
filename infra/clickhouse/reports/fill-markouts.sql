-- Markouts per venue and liquidity (MAKER/TAKER) at 1 s, 5 s, 30 s, 60 s and 5 min after each fill:
-- how the venue's own mid moved from the fill price, in bps, positive when it moved in our favour (a
-- buy followed by a higher mid). The mid after a horizon is the venue's first book within 3 s after
-- it; a fill with no such book counts for no markout at that horizon (fills_measured says how many
-- did). Books are joined by the second they arrived in, so the join holds a few seconds of books per
-- fill, not the whole history.
-- Parameter: since_ms (epoch ms; 0 for everything).
SELECT
    venue, liquidity, horizon_s,
    count() AS fills_measured,
    round(avg(fill_markout_bps), 3) AS markout_bps,
    round(quantileExact(0.5)(fill_markout_bps), 3) AS markout_p50_bps
FROM
(
    SELECT
        event_id, venue, liquidity, horizon_s,
        if(any(side) = 'BUY', 1, -1) * (argMin(mid, snapshot_ms) - toFloat64(any(price))) / toFloat64(any(price)) * 10000 AS fill_markout_bps
    FROM
    (
        SELECT event_id, venue, instrument, side, price, liquidity, venue_time_ms, horizon_s,
               intDiv(venue_time_ms + horizon_s * 1000, 1000) + lag_s AS second
        FROM
        (
            SELECT event_id, venue, instrument, side, price, liquidity, venue_time_ms,
                   arrayJoin([1, 5, 30, 60, 300]) AS horizon_s, arrayJoin([0, 1, 2, 3]) AS lag_s
            FROM crossvenue.exec_fills FINAL
            WHERE venue_time_ms >= {since_ms}
        )
    ) AS fill_horizons
    ALL INNER JOIN
    (
        SELECT venue, instrument, intDiv(received_at_ms, 1000) AS second, received_at_ms AS snapshot_ms,
               (toFloat64(bids_price[1]) + toFloat64(asks_price[1])) / 2 AS mid
        FROM crossvenue.md_book_snapshots
        WHERE length(bids_price) > 0 AND length(asks_price) > 0 AND received_at_ms >= {since_ms}
    ) AS books USING venue, instrument, second
    WHERE snapshot_ms >= venue_time_ms + horizon_s * 1000 AND snapshot_ms <= venue_time_ms + horizon_s * 1000 + 3000
    GROUP BY event_id, venue, liquidity, horizon_s
)
GROUP BY venue, liquidity, horizon_s
ORDER BY venue, liquidity, horizon_s
