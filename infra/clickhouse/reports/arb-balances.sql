-- Where each arbitrage portfolio's assets sit: per portfolio, asset (the base and the quote of
-- every instrument it arbitrages) and venue (every venue its groups bought or sold on), what the
-- portfolio's accounts there hold (total, from the latest audited balance snapshots), that venue's
-- share of the portfolio's holdings of the asset on those venues, and needs_transfer = 1 when the
-- share is under 20 %: one side of the trade is running dry there, and the groups that sell the
-- base (or buy with the quote) on that venue will shrink. Transfers between venues stay manual:
-- the report only says which one is due.
-- A complete balance snapshot replaces an account's balances, an update changes the assets it
-- lists, so an asset counts from the latest snapshot listing it since the account's last
-- complete one. Amounts are exact Decimal(38, 18); the share is a Float64 ratio.
SELECT
    portfolio, asset, venue, toDecimal128(holding_text, 18) AS holding, total_holding,
    round(if(total_holding = 0, 0, toFloat64(holding) / toFloat64(total_holding)), 4) AS share,
    share < 0.2 AS needs_transfer,
    if(needs_transfer, concat('transfer ', asset, ' to ', venue, ' by hand'), '') AS action
FROM
(
    -- Each venue's holding beside the asset's total over the portfolio's venues (no window functions in 18.16).
    -- The holdings travel as text: 18.16's groupArray of a Decimal128 crashes the server (a NULL read in
    -- ColumnDecimal::deserializeAndInsertFromArena) once a venue's holding comes from the join's default.
    SELECT portfolio, asset, groupArray(venue) AS venues, groupArray(toString(holding)) AS holdings, sum(holding) AS total_holding
    FROM
    (
        SELECT portfolio, asset, venue, holding
        FROM
        (
            -- The venues and assets each arbitrage portfolio trades.
            SELECT DISTINCT portfolio, venue, asset
            FROM
            (
                SELECT portfolio, venue, [splitByChar('/', instrument)[1], splitByChar(':', splitByChar('/', instrument)[2])[1]] AS assets
                FROM
                (
                    SELECT portfolio, instrument, [buy_venue, sell_venue] AS venues FROM crossvenue.arb_groups FINAL
                )
                ARRAY JOIN venues AS venue
            )
            ARRAY JOIN assets AS asset
        ) AS traded
        ANY LEFT JOIN
        (
            -- What the portfolio's accounts hold on each venue; an asset no snapshot lists is 0 (the join's default).
            SELECT portfolio, venue, asset, sum(total) AS holding
            FROM
            (
                SELECT venue, account, portfolio, asset, argMax(asset_total, received_at_ms) AS total
                FROM
                (
                    SELECT venue, account, portfolio, received_at_ms, balances_asset, balances_total
                    FROM crossvenue.state_balances AS snapshots FINAL
                    ANY LEFT JOIN
                    (
                        SELECT venue, account, maxIf(received_at_ms, complete = 1) AS last_complete_ms
                        FROM crossvenue.state_balances FINAL
                        GROUP BY venue, account
                    ) AS completes USING venue, account
                    WHERE received_at_ms >= last_complete_ms
                )
                ARRAY JOIN balances_asset AS asset, balances_total AS asset_total
                GROUP BY venue, account, portfolio, asset
            )
            GROUP BY portfolio, venue, asset
        ) AS held USING portfolio, venue, asset
    )
    GROUP BY portfolio, asset
)
ARRAY JOIN venues AS venue, holdings AS holding_text
ORDER BY portfolio, asset, venue
