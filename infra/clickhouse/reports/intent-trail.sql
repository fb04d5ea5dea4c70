-- The complete audit trail of one intent: every decision and message about it, in time order.
-- Decimals print without trailing zeros (Decimal(38, 18) pads to 18 places).
-- Parameter: intent_id.
SELECT time_ms, topic, what, event_id, payload
FROM
(
    SELECT created_at_ms AS time_ms, source_topic AS topic, concat('intent ', action, ' ', kind) AS what, event_id, payload
    FROM crossvenue.exec_intents FINAL WHERE intent_id = {intent_id}
    UNION ALL
    SELECT decided_at_ms, source_topic,
           concat('route: ', toString(length(legs_venue)), ' legs, expected cost ', replaceRegexpOne(toString(total_expected_cost), '\\.?0+$', ''), ' ', cost_currency),
           event_id, payload
    FROM crossvenue.exec_route_decisions FINAL WHERE intent_id = {intent_id}
    UNION ALL
    SELECT decided_at_ms, source_topic, concat('risk ', decision, ': ', rule, ' ', message), event_id, payload
    FROM crossvenue.exec_risk_decisions FINAL WHERE intent_id = {intent_id}
    UNION ALL
    SELECT created_at_ms, source_topic, concat('command ', type, ' ', client_order_id, ' ', side, ' ', replaceRegexpOne(toString(quantity), '\\.?0+$', ''), ' on ', venue), event_id, payload
    FROM crossvenue.exec_order_commands FINAL WHERE intent_id = {intent_id}
    UNION ALL
    SELECT received_at_ms, source_topic, concat('order ', client_order_id, ' on ', venue, ': ', previous_state, ' -> ', state, ' (', event, ')'), event_id, payload
    FROM crossvenue.exec_order_events FINAL WHERE intent_id = {intent_id}
    UNION ALL
    SELECT received_at_ms, source_topic, concat('fill ', venue, ' ', side, ' ', replaceRegexpOne(toString(quantity), '\\.?0+$', ''), ' @ ', replaceRegexpOne(toString(price), '\\.?0+$', ''), ' fee ', replaceRegexpOne(toString(fee), '\\.?0+$', ''), ' ', fee_currency), event_id, payload
    FROM crossvenue.exec_fills FINAL WHERE intent_id = {intent_id}
)
ORDER BY time_ms, topic, event_id
