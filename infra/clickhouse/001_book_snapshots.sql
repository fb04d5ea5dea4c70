-- Audit of normalized book snapshots. Runs on ClickHouse 18.16 and current releases:
-- integer epoch milliseconds instead of DateTime64, Decimal(38, 18) for exact prices and
-- quantities, ReplacingMergeTree on event_id so a redelivered batch collapses to one row
-- (read with FINAL, or GROUP BY event_id, for exact counts before a merge).
CREATE DATABASE IF NOT EXISTS crossvenue;

CREATE TABLE IF NOT EXISTS crossvenue.book_snapshots
(
    event_id String,
    venue String,
    instrument String,
    venue_symbol String,
    sequence Nullable(Int64),
    venue_time_ms Nullable(Int64),
    received_at_ms Int64,
    bid_prices Array(Decimal(38, 18)),
    bid_quantities Array(Decimal(38, 18)),
    ask_prices Array(Decimal(38, 18)),
    ask_quantities Array(Decimal(38, 18)),
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    inserted_at_ms UInt64
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(received_at_ms, 1000)))
ORDER BY (venue, instrument, event_id);
