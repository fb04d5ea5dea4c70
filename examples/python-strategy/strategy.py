#!/usr/bin/env python3
"""
An external strategy in Python: places one ORDER intent on Crossvenue and follows it to its end,
or sets a TARGET_POSITION (--target-quantity) and follows it until the position is at the target.

It talks to the pipeline the way any outside client would: Kafka and the schema registry, with
Confluent's own client (confluent-kafka) and its Avro serializers. Nothing of Crossvenue's code is
used; the contract is the topic catalogue (schemas/src/topics/catalogue.ts) and the Avro schemas
in the registry.

stdout: each exec.intent-status record of this intent, one JSON line each.
stderr: one line per step or problem.
Exit 0 once the intent is DONE, CANCELED or EXPIRED (a target: DONE once the position is at it;
the pipeline goes on holding it after we exit); 1 when it is REJECTED, on a timeout, or on any error.
"""

import argparse
import json
import os
import re
import sys
import time
import uuid
from decimal import Decimal

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from fastavro import read as fastavro_read
from fastavro import write as fastavro_write

# The catalogue names (schemas/src/topics/catalogue.ts). Under a namespace the pipeline's topics
# are "<namespace><name>" (runtime/src/bus/NamespacedBus.ts: a plain prefix, separator included,
# e.g. "e2e-1a2b."), but schema subjects are NOT prefixed: every namespace shares the catalogue's
# "<name>-value" subjects (TopicNameStrategy on the catalogue name, schemas/src/codec/RegistryCodec.ts).
INTENTS = 'exec.intents'
INTENT_STATUS = 'exec.intent-status'

OK_ENDS = {'DONE', 'CANCELED', 'EXPIRED'}
FAILED_ENDS = {'REJECTED'}

# The id rules of schemas/src/domain/ids.ts (parseIntentId, parsePortfolioId).
INTENT_ID = re.compile(r'[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}')
NAME = re.compile(r'[A-Za-z0-9][A-Za-z0-9_.-]{0,63}')
NAMESPACE = re.compile(r'[A-Za-z0-9._-]+')
# Decimals travel as strings (DECIMAL_STRING in schemas/src/avro/contract.ts): no exponent, no "+".
DECIMAL = re.compile(r'-?\d+(\.\d+)?')


class Failure(Exception):
    """Ends the run with exit 1 and its message as the one line on stderr."""


def log(message):
    print(f'python-strategy: {message}', file=sys.stderr, flush=True)


def decimal_string(value, *_schemas):
    """
    Our schemas mark decimals as {"type": "string", "logicalType": "decimal-string"}, a logical type
    of our own. Avro readers must ignore logical types they do not know, and fastavro (which
    confluent-kafka's Avro serde uses) does: without this the values still arrive as plain strings.
    Registered with fastavro for both directions, it holds the Python side to the same contract as
    the pipeline's codec: a malformed amount ("1e-2", a float) is refused here with a clear error
    instead of being dead-lettered by the pipeline (dlq.exec.intents) with no status ever coming back.
    """
    if not isinstance(value, str) or not DECIMAL.fullmatch(value):
        raise ValueError(f'{value!r} is not a decimal string such as "0.01"')
    return value


# fastavro's documented hook for custom logical types, keyed "<avro type>-<logicalType>".
fastavro_write.LOGICAL_WRITERS['string-decimal-string'] = decimal_string
fastavro_read.LOGICAL_READERS['string-decimal-string'] = decimal_string


def parse_args(argv):
    parser = argparse.ArgumentParser(description='Place one ORDER intent on Crossvenue over Kafka and follow its status.')
    parser.add_argument('--bootstrap-servers', default=os.environ.get('KAFKA_BROKERS', '127.0.0.1:19092'),
                        help='Kafka brokers (default: $KAFKA_BROKERS or the local stack)')
    parser.add_argument('--registry-url', default=os.environ.get('SCHEMA_REGISTRY_URL', 'http://127.0.0.1:18081/apis/ccompat/v7'),
                        help="the schema registry's Confluent-compatible API (default: $SCHEMA_REGISTRY_URL or the local stack)")
    parser.add_argument('--namespace', default=os.environ.get('KAFKA_NAMESPACE', ''),
                        help='the Kafka namespace the pipeline runs under, separator included, e.g. "e2e-1a2b." (default: $KAFKA_NAMESPACE or none)')
    parser.add_argument('--portfolio', default='demo')
    parser.add_argument('--instrument', default='BTC/USDT', help='unified symbol: BASE/QUOTE or BASE/QUOTE:SETTLE')
    parser.add_argument('--side', choices=['BUY', 'SELL'], default='BUY')
    parser.add_argument('--amount', default='0.01', help='a decimal string, e.g. 0.01')
    parser.add_argument('--amount-type', choices=['BASE', 'QUOTE'], default='BASE',
                        help='BASE: the amount is in the base asset; QUOTE: the quote currency to spend or receive')
    parser.add_argument('--limit-price', default=None, help='a decimal string; left out, a market order')
    parser.add_argument('--time-in-force', choices=['GTC', 'IOC', 'FOK', 'DAY'], default='IOC')
    parser.add_argument('--target-quantity', default=None,
                        help='set a TARGET_POSITION instead of placing an order: the signed position to hold in the base asset, '
                             'across the portfolio\'s accounts (e.g. 0.5, or -0.5 for a short); --side, --amount and the other order options are then not used')
    parser.add_argument('--intent-id', default=None, help='default: python-strategy-<uuid>')
    parser.add_argument('--name', default='python-strategy', help='who asks: the intent\'s requestedBy')
    parser.add_argument('--timeout', type=float, default=30.0, help='seconds to wait for the intent to end (default 30)')
    args = parser.parse_args(argv)
    args.intent_id = args.intent_id or f'python-strategy-{uuid.uuid4()}'
    checks = [
        (args.namespace == '' or NAMESPACE.fullmatch(args.namespace), f'--namespace "{args.namespace}": use letters, digits, ".", "_" or "-"'),
        (NAME.fullmatch(args.portfolio), f'--portfolio "{args.portfolio}": use 1-64 letters, digits, "_", "." or "-", starting with a letter or digit'),
        (INTENT_ID.fullmatch(args.intent_id), f'--intent-id "{args.intent_id}": use 1-128 letters, digits, "_", ".", ":" or "-", starting with a letter or digit'),
        ('/' in args.instrument, f'--instrument "{args.instrument}": expected a unified symbol such as BTC/USDT'),
        (DECIMAL.fullmatch(args.amount) and Decimal(args.amount) > 0, f'--amount "{args.amount}": expected a positive decimal such as 0.01'),
        (args.limit_price is None or (DECIMAL.fullmatch(args.limit_price) and Decimal(args.limit_price) > 0),
         f'--limit-price "{args.limit_price}": expected a positive decimal such as 65000.5'),
        (args.timeout > 0, f'--timeout {args.timeout}: expected a positive number of seconds'),
        (args.target_quantity is None or DECIMAL.fullmatch(args.target_quantity),
         f'--target-quantity "{args.target_quantity}": expected a signed decimal such as 0.5 or -0.5'),
    ]
    for ok, message in checks:
        if not ok:
            parser.error(message)
    return args


def build_intent(args):
    """A PLACE of an ORDER intent, or of a TARGET_POSITION with --target-quantity, every field given in
    the order of its schema (schemas/src/messages/Intent.ts; a full example in schemas/src/messages/examples.ts)."""
    if args.target_quantity is not None:
        return build_target(args)
    return {
        # Unique per message (the audit log de-duplicates on it, and the route decision's id is
        # derived from it); "<intentId>:place" as the pipeline's own strategies write it.
        'eventId': f'{args.intent_id}:place',
        # Stable across PLACE, MODIFY and CANCEL of this intent.
        'intentId': args.intent_id,
        'portfolio': args.portfolio,
        'account': None,  # the router chooses among the portfolio's accounts
        'venues': [],  # any venue
        'instrument': args.instrument,
        'action': 'PLACE',
        'kind': 'ORDER',
        'order': {
            'side': args.side,
            'amount': args.amount,  # decimals are strings on the wire
            'amountType': args.amount_type,
            'limitPrice': args.limit_price,  # None: a market order
            'timeInForce': args.time_in_force,
            'expireAtMs': None,  # only for GTD
            'postOnly': False,
            'reduceOnly': False,
            'trigger': None,
            'icebergQuantity': None,
        },
        'targetQuantity': None,  # TARGET_POSITION only
        'algo': None,  # an execution algorithm, e.g. {'type': 'TWAP', 'durationMs': 60000, 'sliceIntervalMs': 6000}
        'group': None,  # ORDER_GROUP only
        'reroutes': None,  # REROUTE only (the execution side's own)
        'avoidVenues': [],
        'flattens': False,
        'source': 'STRATEGY',
        'requestedBy': args.name,
        'createdAtMs': int(time.time() * 1000),
    }


def build_target(args):
    """A PLACE of a TARGET_POSITION intent: no order, the signed position to hold. The execution side
    trades the difference with market orders of its own, each routed across venues, and trades again
    whenever the position moves away (a fill from elsewhere, a reconciliation correction)."""
    return {
        'eventId': f'{args.intent_id}:place',
        'intentId': args.intent_id,
        'portfolio': args.portfolio,
        'account': None,  # the position across the portfolio's accounts
        'venues': [],  # measured and traded on any venue
        'instrument': args.instrument,
        'action': 'PLACE',
        'kind': 'TARGET_POSITION',
        'order': None,
        'targetQuantity': args.target_quantity,  # signed: negative is short
        'algo': None,
        'group': None,
        'reroutes': None,
        'avoidVenues': [],
        'flattens': False,
        'source': 'STRATEGY',
        'requestedBy': args.name,
        'createdAtMs': int(time.time() * 1000),
    }


def catalogue_subject(topic):
    """The subject of a topic's values: the catalogue name's, whatever the namespace (see INTENTS)."""
    return lambda _ctx, _record_name: f'{topic}-value'


def require_topics(client, names, timeout):
    """Refuses to go on when the pipeline's topics are missing (wrong namespace, pipeline not up): a
    produce to a missing topic could auto-create it with the broker's partition count, not the catalogue's."""
    try:
        existing = client.list_topics(timeout=timeout).topics
    except KafkaException as error:
        raise Failure(f'cannot reach Kafka: {error.args[0].str()}') from error
    missing = [name for name in names if name not in existing]
    if missing:
        raise Failure(f'topic {", ".join(missing)} does not exist: is the pipeline running on this Kafka under this --namespace?')
    return existing


def send_intent(args, registry, intent):
    topic = f'{args.namespace}{INTENTS}'
    producer = Producer({
        'bootstrap.servers': args.bootstrap_servers,
        # librdkafka's default partitioner ("consistent_random") hashes keys with CRC32; the pipeline
        # (kafkajs' DefaultPartitioner, like the Java client) uses murmur2. With CRC32 an intent keyed
        # "BTC/USDT" would land on another partition number than that instrument's books, so the
        # router instance that holds the books would never see it (co-partitioning, catalogue.ts).
        # "murmur2_random" is the Java-compatible one: murmur2 for keyed records, random for unkeyed.
        'partitioner': 'murmur2_random',
        # No duplicate intent from a retried send.
        'enable.idempotence': True,
    })
    require_topics(producer, [topic], timeout=10)

    serialize = AvroSerializer(registry, None, None, {
        # The pipeline registers the schemas; we write with its latest registered version.
        'auto.register.schemas': False,
        'use.latest.version': True,
        'subject.name.strategy': catalogue_subject(INTENTS),
    })
    try:
        # Confluent wire format: magic byte 0, the 4-byte schema id, the Avro binary body; the same
        # as the pipeline's RegistryCodec writes and expects.
        value = serialize(intent, SerializationContext(topic, MessageField.VALUE))
    except Exception as error:  # the registry unreachable, a subject missing, a value off the schema
        raise Failure(f'cannot encode the intent for {topic}: {error}') from error

    delivered = {}
    # The key is the intents topic's key: the instrument (TOPICS.intents.key in catalogue.ts), as
    # plain UTF-8 bytes like kafkajs writes a string key.
    producer.produce(topic, key=intent['instrument'].encode('utf-8'), value=value,
                     on_delivery=lambda error, message: delivered.update(error=error, message=message))
    if producer.flush(timeout=15) > 0 or not delivered:
        raise Failure(f'intent {intent["intentId"]} was not delivered to {topic} within 15 s')
    if delivered['error'] is not None:
        raise Failure(f'intent {intent["intentId"]} was not delivered to {topic}: {delivered["error"].str()}')
    message = delivered['message']
    log(f'sent intent {intent["intentId"]} to {message.topic()}[{message.partition()}] at offset {message.offset()}')


def follow_status(args, registry, intent_id):
    """Reads exec.intent-status from the beginning in a fresh group and prints this intent's records
    until it ends; returns the exit code."""
    topic = f'{args.namespace}{INTENT_STATUS}'
    consumer = Consumer({
        'bootstrap.servers': args.bootstrap_servers,
        # A group of its own, under the namespace like the pipeline's groups; nothing committed, so
        # it leaves nothing behind but an empty group.
        'group.id': f'{args.namespace}python-strategy-{uuid.uuid4()}',
        'auto.offset.reset': 'earliest',
        'enable.auto.commit': False,
    })
    # The writer's schema comes from the registry by the id in each record.
    deserialize = AvroDeserializer(registry)
    try:
        require_topics(consumer, [topic], timeout=10)
        consumer.subscribe([topic])
        deadline = time.monotonic() + args.timeout
        last_state = None
        while time.monotonic() < deadline:
            message = consumer.poll(timeout=min(1.0, max(0.0, deadline - time.monotonic())))
            if message is None:
                continue
            if message.error():
                if message.error().code() == KafkaError._PARTITION_EOF:
                    continue
                raise Failure(f'reading {topic} failed: {message.error().str()}')
            status = deserialize(message.value(), SerializationContext(topic, MessageField.VALUE))
            if status['intentId'] != intent_id:
                continue
            print(json.dumps(status, separators=(',', ':')), flush=True)
            last_state = status['state']
            if last_state in OK_ENDS:
                log(f'intent {intent_id} {last_state}: filled {status["filledQuantity"]} of {status["requestedQuantity"]}'
                    f' at {status["averagePrice"] or "no price"}')
                return 0
            if last_state in FAILED_ENDS:
                log(f'intent {intent_id} REJECTED by {status["rule"] or "an unnamed rule"}: {status["reason"] or "no reason given"}')
                return 1
        raise Failure(f'intent {intent_id} did not end within {args.timeout:g} s (last state: {last_state or "no status yet"})')
    finally:
        consumer.close()


def main(argv=None):
    args = parse_args(argv)
    intent = build_intent(args)
    try:
        with SchemaRegistryClient({'url': args.registry_url}) as registry:
            send_intent(args, registry, intent)
            return follow_status(args, registry, intent['intentId'])
    except Failure as failure:
        log(str(failure))
        return 1
    except KeyboardInterrupt:
        log(f'interrupted while following intent {intent["intentId"]}')
        return 1


if __name__ == '__main__':
    sys.exit(main())
