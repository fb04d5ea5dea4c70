-- Transaction-cost analysis per intent: the router's expectation against what the fills realized,
-- and the implementation shortfall against the arrival price split into its parts.
-- Costs are signed as the router signs them (a buy pays, a sell receives: lower is better):
--   expected_cost = ±(legs' quantity × expected average price) + expected fees (no model penalties)
--   realized_cost = ±(fills' quantity × price) + fees (in the quote currency, or in the base asset at the fill price)
-- Shortfall, in the quote currency (positive = a cost), with s = 1 for a buy and -1 for a sell:
--   arrival_mid = the mid when the router first decided the intent; decision_mid = at its latest decision
--   delay_cost = s × (decision_mid - arrival_mid) × filled: the move before the last routing
--   trading_cost = s × (notional - filled × decision_mid): spread and impact of the fills
--   opportunity_cost = s × (decision_mid - arrival_mid) × (amount - filled): the move on what did not fill
--   shortfall = delay + trading + fees + opportunity = s × (notional - filled × arrival_mid) + fees + opportunity
-- and each part in bps of the paper notional, amount × arrival_mid.
-- ClickHouse evaluates both branches of if(), so a Decimal division by a quantity that may be zero
-- adds 1 to it where it is (the branch that uses the quotient is not taken there).
-- Money is exact: products of Decimal(38, 9) operands (venue prices and quantities have at most 9
-- decimals) sum into Decimal(38, 18). Ratios (fill ratio, bps) are Float64.
-- Parameter: intent_id ('' for every intent).
SELECT
    intent_id, instrument, side, amount, arrival_mid, decision_mid,
    expected_quantity, expected_average_price, expected_cost, model_cost,
    filled_quantity, average_price, fees, realized_cost,
    realized_cost - expected_cost AS cost_vs_expected,
    round(if(side = 'BUY', 1, -1) * (toFloat64(average_price) - toFloat64(arrival_mid)) / toFloat64(arrival_mid) * 10000, 3) AS slippage_bps,
    delay_cost, trading_cost, opportunity_cost,
    delay_cost + trading_cost + fees + opportunity_cost AS shortfall,
    -- Each part in bps of the paper notional (the whole amount at the arrival mid), so the parts add up to shortfall_bps.
    toFloat64(amount) * toFloat64(arrival_mid) AS paper_notional,
    round(toFloat64(delay_cost) / paper_notional * 10000, 3) AS delay_bps,
    round(toFloat64(trading_cost) / paper_notional * 10000, 3) AS trading_bps,
    round(toFloat64(fees) / paper_notional * 10000, 3) AS fees_bps,
    round(toFloat64(opportunity_cost) / paper_notional * 10000, 3) AS opportunity_bps,
    round(toFloat64(delay_cost + trading_cost + fees + opportunity_cost) / paper_notional * 10000, 3) AS shortfall_bps,
    round(toFloat64(filled_quantity) / toFloat64(amount), 6) AS fill_ratio,
    last_fill_ms - created_at_ms AS time_to_fill_ms
FROM
(
    SELECT
        intent_id, instrument, side, amount, created_at_ms, arrival_mid, decision_mid, model_cost, expected_quantity, expected_notional, expected_fees,
        if(expected_quantity = 0, toDecimal128(0, 18), expected_notional / (toDecimal128(expected_quantity, 9) + toDecimal128(expected_quantity = 0, 9))) AS expected_average_price,
        if(side = 'BUY', expected_notional, -expected_notional) + expected_fees AS expected_cost,
        filled_quantity, fees, last_fill_ms,
        if(filled_quantity = 0, toDecimal128(0, 18), notional / (toDecimal128(filled_quantity, 9) + toDecimal128(filled_quantity = 0, 9))) AS average_price,
        if(side = 'BUY', notional, -notional) + fees AS realized_cost,
        if(side = 'BUY', 1, -1) * (toDecimal128(decision_mid, 9) - toDecimal128(arrival_mid, 9)) * toDecimal128(filled_quantity, 9) AS delay_cost,
        if(side = 'BUY', 1, -1) * (notional - toDecimal128(filled_quantity, 9) * toDecimal128(decision_mid, 9)) AS trading_cost,
        if(side = 'BUY', 1, -1) * (toDecimal128(decision_mid, 9) - toDecimal128(arrival_mid, 9)) * (toDecimal128(amount, 9) - toDecimal128(filled_quantity, 9)) AS opportunity_cost
    FROM
    (
        SELECT intent_id, instrument, side, amount, created_at_ms, arrival_mid, decision_mid, model_cost, expected_quantity, expected_notional, expected_fees
        FROM
        (
            SELECT intent_id, instrument, side, amount, created_at_ms, model_cost, expected_quantity, expected_notional, expected_fees
            FROM
            (
                SELECT intent_id, any(instrument) AS instrument, assumeNotNull(any(order_side)) AS side,
                       assumeNotNull(any(order_amount)) AS amount, min(created_at_ms) AS created_at_ms
                FROM crossvenue.exec_intents FINAL
                WHERE action = 'PLACE' AND order_side IS NOT NULL AND ({intent_id} = '' OR intent_id = {intent_id})
                GROUP BY intent_id
            ) AS placed
            ANY LEFT JOIN
            (
                -- The latest route decision of each intent, with its legs summed exactly.
                SELECT intent_id, any(total_expected_cost) AS model_cost,
                       sum(leg_quantity) AS expected_quantity,
                       sum(toDecimal128(leg_quantity, 9) * toDecimal128(leg_price, 9)) AS expected_notional,
                       sum(leg_fee) AS expected_fees
                FROM
                (
                    SELECT intent_id, total_expected_cost, legs_quantity, legs_expected_average_price, legs_expected_fee
                    FROM crossvenue.exec_route_decisions FINAL
                    WHERE (intent_id, decided_at_ms) IN (SELECT intent_id, max(decided_at_ms) FROM crossvenue.exec_route_decisions FINAL GROUP BY intent_id)
                )
                ARRAY JOIN legs_quantity AS leg_quantity, legs_expected_average_price AS leg_price, legs_expected_fee AS leg_fee
                GROUP BY intent_id
            ) AS planned USING intent_id
        ) AS decided
        ANY LEFT JOIN
        (
            -- The first decision's mid: the price when the intent arrived, before any delay or re-route;
            -- the latest decision's, whether it routed anything or not.
            SELECT intent_id, first_mid AS arrival_mid, latest_mid AS decision_mid
            FROM
            (
                SELECT intent_id, argMin(assumeNotNull(arrival_mid), decided_at_ms) AS first_mid, argMax(assumeNotNull(arrival_mid), decided_at_ms) AS latest_mid
                FROM crossvenue.exec_route_decisions FINAL
                WHERE arrival_mid IS NOT NULL
                GROUP BY intent_id
            )
        ) AS arrivals USING intent_id
    ) AS intents
    ANY LEFT JOIN
    (
        -- Each fill's notional and fee in the quote currency: the view of 002_report_views.sql.
        SELECT assumeNotNull(intent_id) AS intent_id, sum(quantity) AS filled_quantity, sum(notional) AS notional, sum(quote_fee) AS fees,
               max(venue_time_ms) AS last_fill_ms
        FROM crossvenue.report_fill_costs
        WHERE intent_id IS NOT NULL
        GROUP BY intent_id
    ) AS filled USING intent_id
)
ORDER BY created_at_ms, intent_id
