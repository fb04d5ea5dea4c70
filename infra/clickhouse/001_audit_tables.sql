-- Generated from the Avro schemas of the topic catalogue by `npx crossvenue audit ddl --write`;
-- a test fails when this file and the schemas disagree. Do not edit by hand.
CREATE DATABASE IF NOT EXISTS crossvenue;

-- md.book-snapshots: crossvenue.BookSnapshot
CREATE TABLE IF NOT EXISTS crossvenue.md_book_snapshots
(
    event_id String,
    venue String,
    instrument String,
    venue_symbol String,
    sequence Nullable(Int64),
    venue_time_ms Nullable(Int64),
    received_at_ms Int64,
    bids_price Array(Decimal(38, 18)),
    bids_quantity Array(Decimal(38, 18)),
    asks_price Array(Decimal(38, 18)),
    asks_quantity Array(Decimal(38, 18)),
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- md.book-deltas: crossvenue.BookDelta
CREATE TABLE IF NOT EXISTS crossvenue.md_book_deltas
(
    event_id String,
    venue String,
    instrument String,
    venue_symbol String,
    first_sequence Nullable(Int64),
    last_sequence Nullable(Int64),
    previous_sequence Nullable(Int64),
    checksum Nullable(Int64),
    venue_time_ms Int64,
    received_at_ms Int64,
    bids_price Array(Decimal(38, 18)),
    bids_quantity Array(Decimal(38, 18)),
    asks_price Array(Decimal(38, 18)),
    asks_quantity Array(Decimal(38, 18)),
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- md.trades: crossvenue.Trade
CREATE TABLE IF NOT EXISTS crossvenue.md_trades
(
    event_id String,
    venue String,
    instrument String,
    venue_symbol String,
    venue_trade_id String,
    price Decimal(38, 18),
    quantity Decimal(38, 18),
    aggressor_side String,
    venue_time_ms Int64,
    received_at_ms Int64,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- md.funding-rates: crossvenue.FundingRate
CREATE TABLE IF NOT EXISTS crossvenue.md_funding_rates
(
    event_id String,
    venue String,
    instrument String,
    venue_symbol String,
    rate Decimal(38, 18),
    next_funding_time_ms Int64,
    funding_interval_ms Nullable(Int64),
    mark_price Nullable(Decimal(38, 18)),
    index_price Nullable(Decimal(38, 18)),
    venue_time_ms Int64,
    received_at_ms Int64,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- md.venue-health: crossvenue.VenueHealth
CREATE TABLE IF NOT EXISTS crossvenue.md_venue_health
(
    event_id String,
    venue String,
    account Nullable(String),
    state String,
    book_staleness_ms Nullable(Int64),
    user_stream_staleness_ms Nullable(Int64),
    error_rate Decimal(38, 18),
    reject_rate Decimal(38, 18),
    latency_p50_ms Nullable(Int64),
    latency_p99_ms Nullable(Int64),
    window_ms Int64,
    reason String,
    observed_at_ms Int64,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- ref.symbols: crossvenue.SymbolMetadata
CREATE TABLE IF NOT EXISTS crossvenue.ref_symbols
(
    event_id String,
    venue String,
    instrument String,
    venue_symbol String,
    asset_type String,
    base String,
    quote String,
    settle Nullable(String),
    active UInt8,
    contract_size Nullable(Decimal(38, 18)),
    inverse UInt8,
    expiry_ms Nullable(Int64),
    strike Nullable(Decimal(38, 18)),
    option_kind Nullable(String),
    min_quantity Nullable(Decimal(38, 18)),
    max_quantity Nullable(Decimal(38, 18)),
    max_market_quantity Nullable(Decimal(38, 18)),
    quantity_step Nullable(Decimal(38, 18)),
    min_price Nullable(Decimal(38, 18)),
    max_price Nullable(Decimal(38, 18)),
    price_tick Nullable(Decimal(38, 18)),
    min_notional Nullable(Decimal(38, 18)),
    max_notional Nullable(Decimal(38, 18)),
    order_types Array(String),
    time_in_force Array(String),
    post_only UInt8,
    reduce_only UInt8,
    iceberg UInt8,
    maker_fee Nullable(Decimal(38, 18)),
    taker_fee Nullable(Decimal(38, 18)),
    received_at_ms Int64,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- exec.intents: crossvenue.Intent
CREATE TABLE IF NOT EXISTS crossvenue.exec_intents
(
    event_id String,
    intent_id String,
    portfolio String,
    account Nullable(String),
    venues Array(String),
    instrument String,
    action String,
    kind String,
    order_side Nullable(String),
    order_amount Nullable(Decimal(38, 18)),
    order_amount_type Nullable(String),
    order_limit_price Nullable(Decimal(38, 18)),
    order_time_in_force Nullable(String),
    order_expire_at_ms Nullable(Int64),
    order_post_only Nullable(UInt8),
    order_reduce_only Nullable(UInt8),
    order_trigger_type Nullable(String),
    order_trigger_trigger_price Nullable(Decimal(38, 18)),
    order_iceberg_quantity Nullable(Decimal(38, 18)),
    target_quantity Nullable(Decimal(38, 18)),
    algo_type Nullable(String),
    algo_duration_ms Nullable(Int64),
    algo_slice_interval_ms Nullable(Int64),
    group_group_id Nullable(String),
    group_contingency Nullable(String),
    group_size Nullable(Int32),
    reroutes Nullable(String),
    avoid_venues Array(String),
    flattens UInt8,
    source String,
    requested_by String,
    created_at_ms Int64,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- exec.route-decisions: crossvenue.RouteDecision
CREATE TABLE IF NOT EXISTS crossvenue.exec_route_decisions
(
    event_id String,
    intent_id String,
    portfolio String,
    instrument String,
    intent_event_id Nullable(String),
    intent_intent_id Nullable(String),
    intent_portfolio Nullable(String),
    intent_account Nullable(String),
    intent_venues Array(String),
    intent_instrument Nullable(String),
    intent_action Nullable(String),
    intent_kind Nullable(String),
    intent_order_side Nullable(String),
    intent_order_amount Nullable(Decimal(38, 18)),
    intent_order_amount_type Nullable(String),
    intent_order_limit_price Nullable(Decimal(38, 18)),
    intent_order_time_in_force Nullable(String),
    intent_order_expire_at_ms Nullable(Int64),
    intent_order_post_only Nullable(UInt8),
    intent_order_reduce_only Nullable(UInt8),
    intent_order_trigger_type Nullable(String),
    intent_order_trigger_trigger_price Nullable(Decimal(38, 18)),
    intent_order_iceberg_quantity Nullable(Decimal(38, 18)),
    intent_target_quantity Nullable(Decimal(38, 18)),
    intent_algo_type Nullable(String),
    intent_algo_duration_ms Nullable(Int64),
    intent_algo_slice_interval_ms Nullable(Int64),
    intent_group_group_id Nullable(String),
    intent_group_contingency Nullable(String),
    intent_group_size Nullable(Int32),
    intent_reroutes Nullable(String),
    intent_avoid_venues Array(String),
    intent_flattens Nullable(UInt8),
    intent_source Nullable(String),
    intent_requested_by Nullable(String),
    intent_created_at_ms Nullable(Int64),
    side Nullable(String),
    quantity Decimal(38, 18),
    candidates_venue Array(String),
    candidates_account Array(String),
    candidates_available_quantity Array(Decimal(38, 18)),
    candidates_expected_fee Array(Decimal(38, 18)),
    candidates_latency_penalty Array(Decimal(38, 18)),
    candidates_staleness_penalty Array(Decimal(38, 18)),
    candidates_health_penalty Array(Decimal(38, 18)),
    candidates_expected_total_cost Array(Decimal(38, 18)),
    candidates_chosen Array(UInt8),
    candidates_reason Array(String),
    legs_leg Array(Int32),
    legs_venue Array(String),
    legs_account Array(String),
    legs_quantity Array(Decimal(38, 18)),
    legs_expected_average_price Array(Decimal(38, 18)),
    legs_expected_fee Array(Decimal(38, 18)),
    total_expected_cost Decimal(38, 18),
    cost_currency String,
    arrival_mid Nullable(Decimal(38, 18)),
    decided_at_ms Int64,
    conversion_quote_amount Nullable(Decimal(38, 18)),
    conversion_price Nullable(Decimal(38, 18)),
    conversion_base_amount Nullable(Decimal(38, 18)),
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- exec.order-commands: crossvenue.OrderCommand
CREATE TABLE IF NOT EXISTS crossvenue.exec_order_commands
(
    event_id String,
    command_id String,
    type String,
    intent_id String,
    leg Int32,
    attempt Int32,
    client_order_id String,
    portfolio String,
    venue String,
    account String,
    instrument String,
    side String,
    quantity Decimal(38, 18),
    limit_price Nullable(Decimal(38, 18)),
    order_type String,
    time_in_force String,
    expire_at_ms Nullable(Int64),
    trigger_price Nullable(Decimal(38, 18)),
    post_only UInt8,
    reduce_only UInt8,
    iceberg_quantity Nullable(Decimal(38, 18)),
    new_quantity Nullable(Decimal(38, 18)),
    new_limit_price Nullable(Decimal(38, 18)),
    venue_order_id Nullable(String),
    created_at_ms Int64,
    route_decision_id Nullable(String),
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- exec.order-events: crossvenue.OrderEvent
CREATE TABLE IF NOT EXISTS crossvenue.exec_order_events
(
    event_id String,
    client_order_id String,
    venue_order_id Nullable(String),
    intent_id String,
    portfolio String,
    venue String,
    account String,
    instrument String,
    side String,
    previous_state String,
    state String,
    event String,
    raw_venue_status Nullable(String),
    filled_quantity Decimal(38, 18),
    remaining_quantity Decimal(38, 18),
    limit_price Nullable(Decimal(38, 18)),
    average_price Nullable(Decimal(38, 18)),
    reason Nullable(String),
    venue_time_ms Nullable(Int64),
    received_at_ms Int64,
    source String,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- exec.fills: crossvenue.Fill
CREATE TABLE IF NOT EXISTS crossvenue.exec_fills
(
    event_id String,
    venue String,
    account String,
    portfolio String,
    venue_trade_id String,
    client_order_id String,
    venue_order_id String,
    intent_id Nullable(String),
    instrument String,
    side String,
    price Decimal(38, 18),
    quantity Decimal(38, 18),
    fee Decimal(38, 18),
    fee_currency String,
    liquidity String,
    venue_time_ms Int64,
    received_at_ms Int64,
    source String,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- exec.funding-payments: crossvenue.FundingPayment
CREATE TABLE IF NOT EXISTS crossvenue.exec_funding_payments
(
    event_id String,
    venue String,
    account String,
    portfolio String,
    instrument String,
    funding_id String,
    amount Decimal(38, 18),
    currency String,
    venue_time_ms Int64,
    received_at_ms Int64,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- exec.balance-snapshots: crossvenue.BalanceSnapshot
CREATE TABLE IF NOT EXISTS crossvenue.exec_balance_snapshots
(
    event_id String,
    venue String,
    account String,
    portfolio String,
    complete UInt8,
    balances_asset Array(String),
    balances_free Array(Decimal(38, 18)),
    balances_locked Array(Decimal(38, 18)),
    balances_total Array(Decimal(38, 18)),
    venue_time_ms Nullable(Int64),
    received_at_ms Int64,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- exec.risk-decisions: crossvenue.RiskDecision
CREATE TABLE IF NOT EXISTS crossvenue.exec_risk_decisions
(
    event_id String,
    intent_id String,
    command_id Nullable(String),
    portfolio String,
    account String,
    venue Nullable(String),
    instrument Nullable(String),
    decision String,
    rule String,
    limit Nullable(Decimal(38, 18)),
    value Nullable(Decimal(38, 18)),
    message String,
    decided_at_ms Int64,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- exec.intent-status: crossvenue.IntentStatus
CREATE TABLE IF NOT EXISTS crossvenue.exec_intent_status
(
    event_id String,
    intent_id String,
    portfolio String,
    instrument String,
    side String,
    source String,
    state String,
    rule Nullable(String),
    reason Nullable(String),
    requested_quantity Decimal(38, 18),
    filled_quantity Decimal(38, 18),
    leaves_quantity Decimal(38, 18),
    average_price Nullable(Decimal(38, 18)),
    fees_currency Array(String),
    fees_amount Array(Decimal(38, 18)),
    algo_type Nullable(String),
    algo_started_at_ms Nullable(Int64),
    algo_ends_at_ms Nullable(Int64),
    algo_slices Nullable(Int32),
    algo_slices_sent Nullable(Int32),
    algo_scheduled_quantity Nullable(Decimal(38, 18)),
    algo_deviation Nullable(Decimal(38, 18)),
    updated_at_ms Int64,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- recon.venue-snapshots: crossvenue.VenueSnapshot
CREATE TABLE IF NOT EXISTS crossvenue.recon_venue_snapshots
(
    event_id String,
    venue String,
    account String,
    portfolio String,
    open_orders_venue_order_id Array(String),
    open_orders_instrument Array(String),
    open_orders_side Array(String),
    open_orders_quantity Array(Decimal(38, 18)),
    open_orders_filled_quantity Array(Decimal(38, 18)),
    open_orders_raw_venue_status Array(String),
    balances_asset Array(String),
    balances_free Array(Decimal(38, 18)),
    balances_locked Array(Decimal(38, 18)),
    balances_total Array(Decimal(38, 18)),
    positions_instrument Array(String),
    positions_quantity Array(Decimal(38, 18)),
    trades_venue_trade_id Array(String),
    trades_venue_order_id Array(String),
    trades_instrument Array(String),
    trades_side Array(String),
    trades_price Array(Decimal(38, 18)),
    trades_quantity Array(Decimal(38, 18)),
    trades_fee Array(Decimal(38, 18)),
    trades_fee_currency Array(String),
    trades_liquidity Array(String),
    trades_venue_time_ms Array(Int64),
    trades_since_ms Int64,
    venue_time_ms Nullable(Int64),
    received_at_ms Int64,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- recon.discrepancies: crossvenue.ReconciliationDiscrepancy
CREATE TABLE IF NOT EXISTS crossvenue.recon_discrepancies
(
    event_id String,
    venue String,
    account String,
    portfolio String,
    kind String,
    subject String,
    internal_value Nullable(Decimal(38, 18)),
    venue_value Nullable(Decimal(38, 18)),
    correction String,
    detected_at_ms Int64,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- state.positions: crossvenue.Position
CREATE TABLE IF NOT EXISTS crossvenue.state_positions
(
    event_id String,
    portfolio String,
    account String,
    venue String,
    instrument String,
    quantity Decimal(38, 18),
    average_entry_price Nullable(Decimal(38, 18)),
    realized_pnl Decimal(38, 18),
    unrealized_pnl Nullable(Decimal(38, 18)),
    mark_price Nullable(Decimal(38, 18)),
    quote_currency String,
    fees_currency Array(String),
    fees_amount Array(Decimal(38, 18)),
    funding Decimal(38, 18),
    margin_leverage Nullable(Decimal(38, 18)),
    margin_margin_mode Nullable(String),
    margin_initial_margin Nullable(Decimal(38, 18)),
    margin_liquidation_price Nullable(Decimal(38, 18)),
    last_fill_venue Nullable(String),
    last_fill_account Nullable(String),
    last_fill_venue_trade_id Nullable(String),
    updated_at_ms Int64,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- state.balances: crossvenue.BalanceSnapshot
CREATE TABLE IF NOT EXISTS crossvenue.state_balances
(
    event_id String,
    venue String,
    account String,
    portfolio String,
    complete UInt8,
    balances_asset Array(String),
    balances_free Array(Decimal(38, 18)),
    balances_locked Array(Decimal(38, 18)),
    balances_total Array(Decimal(38, 18)),
    venue_time_ms Nullable(Int64),
    received_at_ms Int64,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- sync.decisions: crossvenue.SyncDecision
CREATE TABLE IF NOT EXISTS crossvenue.sync_decisions
(
    event_id String,
    follower String,
    kind String,
    leader_venue String,
    leader_account String,
    leader_event Nullable(String),
    leader_instrument Nullable(String),
    portfolio String,
    account String,
    venue String,
    instrument String,
    side Nullable(String),
    quantity Nullable(Decimal(38, 18)),
    limit_price Nullable(Decimal(38, 18)),
    target_quantity Nullable(Decimal(38, 18)),
    actual_quantity Nullable(Decimal(38, 18)),
    residual_quantity Nullable(Decimal(38, 18)),
    intent_id Nullable(String),
    reason String,
    decided_at_ms Int64,
    configuration Nullable(String),
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- arb.groups: crossvenue.ArbitrageGroup
CREATE TABLE IF NOT EXISTS crossvenue.arb_groups
(
    event_id String,
    group_id String,
    strategy String,
    portfolio String,
    kind String,
    policy String,
    state String,
    instrument String,
    sell_instrument Nullable(String),
    buy_venue String,
    sell_venue String,
    planned_quantity Decimal(38, 18),
    expected_buy_price Decimal(38, 18),
    expected_sell_price Decimal(38, 18),
    expected_edge Decimal(38, 18),
    expected_edge_bps Decimal(38, 18),
    legs_role Array(String),
    legs_venue Array(String),
    legs_side Array(String),
    legs_intent_id Array(String),
    legs_requested_quantity Array(Decimal(38, 18)),
    legs_filled_quantity Array(Decimal(38, 18)),
    legs_fees Array(Decimal(38, 18)),
    legs_sent_at_ms Array(Int64),
    legs_outcome Array(String),
    bought_quantity Decimal(38, 18),
    sold_quantity Decimal(38, 18),
    residual_quantity Decimal(38, 18),
    realized_edge Nullable(Decimal(38, 18)),
    unwind_cost Nullable(Decimal(38, 18)),
    residual_side Nullable(String),
    position_id Nullable(String),
    expected_funding_apr Nullable(Decimal(38, 18)),
    funding_collected Nullable(Decimal(38, 18)),
    reason String,
    opened_at_ms Int64,
    closed_at_ms Nullable(Int64),
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- ops.alerts: crossvenue.Alert
CREATE TABLE IF NOT EXISTS crossvenue.ops_alerts
(
    event_id String,
    severity String,
    code String,
    component String,
    venue Nullable(String),
    account Nullable(String),
    subject Nullable(String),
    message String,
    raised_at_ms Int64,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;

-- control.commands: crossvenue.ControlCommand
CREATE TABLE IF NOT EXISTS crossvenue.control_commands
(
    event_id String,
    type String,
    scope String,
    portfolio Nullable(String),
    venue Nullable(String),
    account Nullable(String),
    engaged Nullable(UInt8),
    cancel_open_orders UInt8,
    config_key Nullable(String),
    config_value Nullable(String),
    issued_by String,
    reason String,
    issued_at_ms Int64,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    kafka_timestamp_ms Int64,
    inserted_at_ms Int64,
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))
ORDER BY event_id;
