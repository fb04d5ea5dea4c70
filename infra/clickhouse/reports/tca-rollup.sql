-- Costs rolled up per day, portfolio and intent source (GATEWAY, STRATEGY, SYNCHRONIZER, ...), per
-- quote currency: intents placed and filled, the notional filled, fees, and the implementation
-- shortfall against the arrival price (the mid when the router first decided the intent): what
-- the fills paid beyond the arrival mid, in the quote currency (positive = a cost) and in bps of
-- the notional. The fill ratio weighs each intent by its amount at the arrival mid.
-- Money is exact (Decimal); bps and ratios are Float64.
-- Parameter: since_ms (epoch ms; 0 for everything).
SELECT
    day, portfolio, source, quote,
    count() AS intents,
    countIf(filled_quantity > 0) AS filled_intents,
    sum(intent_notional) AS notional,
    sum(intent_fees) AS fees,
    sum(intent_shortfall) AS shortfall,
    round(toFloat64(sum(intent_shortfall)) / toFloat64(sum(intent_notional)) * 10000, 3) AS shortfall_bps,
    round(toFloat64(sum(toDecimal128(filled_quantity, 9) * toDecimal128(arrival_mid, 9))) / toFloat64(sum(toDecimal128(amount, 9) * toDecimal128(arrival_mid, 9))), 6) AS fill_ratio
FROM
(
    SELECT
        toDate(toDateTime(intDiv(placed_at_ms, 1000))) AS day, portfolio, source, quote, amount, arrival_mid,
        filled_quantity, notional AS intent_notional, fees AS intent_fees,
        -- A buy pays above the arrival mid, a sell receives below it: both are costs.
        if(side = 'BUY', 1, -1) * (notional - toDecimal128(filled_quantity, 9) * toDecimal128(arrival_mid, 9)) AS intent_shortfall
    FROM
    (
        SELECT intent_id, portfolio, source, side, amount, placed_at_ms, quote, first_mid AS arrival_mid
        FROM
        (
            SELECT intent_id, any(portfolio) AS portfolio, any(source) AS source, assumeNotNull(any(order_side)) AS side,
                   assumeNotNull(any(order_amount)) AS amount, min(created_at_ms) AS placed_at_ms,
                   splitByChar(':', splitByChar('/', any(instrument))[2])[1] AS quote
            FROM crossvenue.exec_intents FINAL
            WHERE action = 'PLACE' AND order_side IS NOT NULL AND created_at_ms >= {since_ms}
            GROUP BY intent_id
        ) AS placed
        ALL INNER JOIN
        (
            -- The first decision's mid: the price when the intent arrived, before any delay or re-route.
            SELECT intent_id, argMin(assumeNotNull(arrival_mid), decided_at_ms) AS first_mid
            FROM crossvenue.exec_route_decisions FINAL
            WHERE arrival_mid IS NOT NULL AND decided_at_ms >= {since_ms}
            GROUP BY intent_id
        ) AS arrivals USING intent_id
    ) AS intents
    ANY LEFT JOIN
    (
        -- Each fill's notional and fee in the quote currency: the view of 002_report_views.sql.
        SELECT assumeNotNull(intent_id) AS intent_id, sum(quantity) AS filled_quantity, sum(notional) AS notional, sum(quote_fee) AS fees
        FROM crossvenue.report_fill_costs
        WHERE intent_id IS NOT NULL AND venue_time_ms >= {since_ms}
        GROUP BY intent_id
    ) AS filled USING intent_id
)
GROUP BY day, portfolio, source, quote
ORDER BY day, portfolio, source, quote
