-- Views the reports (reports/*.sql) share, applied after the tables (001_audit_tables.sql) by
-- applyClickHouseSchema. Written by hand (001 is generated); each runs on ClickHouse 18.16 and on
-- the current engine (chDB).
--
-- A view here is a plain projection: no join, no aggregate. ClickHouse 18.16 has no view
-- parameters and does not push a report's WHERE into a view by default, so a report filters a
-- view's rows itself (its since_ms), before it aggregates or joins them: its results and its
-- memory stay what they were. (The markout join of fill-markouts and venue-quality is therefore
-- not a view: as one, its book side could not be filtered and would be held whole for every run.)
--
-- Dropped and created again on every apply, so a changed definition replaces the old one; IF NOT
-- EXISTS lets two processes apply the schema at once.

-- Each fill's cost in its quote currency, for the per-intent fill aggregates of intent-tca and
-- tca-rollup: the notional, and the fee in the quote currency, or in the base asset valued at the
-- fill price (any other fee currency counts 0). Exact: Decimal(38, 18), from operands of at most 9
-- decimals (venue prices and quantities have no more).
DROP TABLE IF EXISTS crossvenue.report_fill_costs;
CREATE VIEW IF NOT EXISTS crossvenue.report_fill_costs AS
SELECT
    intent_id, venue_time_ms, quantity,
    toDecimal128(price, 9) * toDecimal128(quantity, 9) AS notional,
    multiIf(fee_currency = quote, fee, fee_currency = base, toDecimal128(fee, 9) * toDecimal128(price, 9), toDecimal128(0, 18)) AS quote_fee
FROM
(
    SELECT intent_id, venue_time_ms, price, quantity, fee, fee_currency,
           splitByChar('/', instrument)[1] AS base, splitByChar(':', splitByChar('/', instrument)[2])[1] AS quote
    FROM crossvenue.exec_fills FINAL
);
