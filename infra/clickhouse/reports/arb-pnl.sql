-- Arbitrage results per strategy, kind (SPOT_SPREAD, BASIS, FUNDING_SPREAD), venue pair
-- (buy_venue → sell_venue) and day (UTC, of the close), from each group's closing record: groups
-- closed, how they ended (captured, unwound, missed, exposed), the expected edge summed against
-- the realized edge and the unwinds' cost, realized minus expected, the funding collected (the
-- groups that closed funding positions carry it), the net (realized edge plus funding), and the
-- average time from open to close. A funding position's opening and closing groups trade the
-- pair in opposite directions, so they are two rows; their nets add up to the position's.
-- Money is exact, in the quote currency: Decimal(38, 18) sums; a group without an unwind or
-- funding adds 0. The OPEN record of a group is left out, so a group counts once, when it closes.
-- Parameters: strategy ('' for every strategy), since_ms (epoch ms of the close; 0 for everything).
SELECT
    strategy, kind, buy_venue, sell_venue, day,
    count() AS groups,
    countIf(state = 'CAPTURED') AS captured,
    countIf(state = 'UNWOUND') AS unwound,
    countIf(state = 'MISSED') AS missed,
    countIf(state = 'EXPOSED') AS exposed,
    sum(expected_edge) AS sum_expected_edge,
    sum(realized) AS sum_realized_edge,
    sum(unwind) AS sum_unwind_cost,
    sum_realized_edge - sum_expected_edge AS realized_minus_expected,
    sum(funding) AS sum_funding,
    sum_realized_edge + sum_funding AS net,
    round(avg(time_to_close_ms)) AS avg_time_to_close_ms
FROM
(
    SELECT
        strategy, toString(kind) AS kind, buy_venue, sell_venue, state, expected_edge,
        ifNull(realized_edge, toDecimal128(0, 18)) AS realized,
        ifNull(unwind_cost, toDecimal128(0, 18)) AS unwind,
        ifNull(funding_collected, toDecimal128(0, 18)) AS funding,
        toDate(toDateTime(intDiv(assumeNotNull(closed_at_ms), 1000)), 'UTC') AS day,
        assumeNotNull(closed_at_ms) - opened_at_ms AS time_to_close_ms
    FROM crossvenue.arb_groups FINAL
    WHERE state != 'OPEN' AND closed_at_ms >= {since_ms} AND ({strategy} = '' OR strategy = {strategy})
)
GROUP BY strategy, kind, buy_venue, sell_venue, day
ORDER BY day, strategy, kind, buy_venue, sell_venue
