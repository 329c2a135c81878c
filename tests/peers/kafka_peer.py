"""A Kafka client that is not asyncapi-rs (kafka-python), for the Kafka tests: it knows only
what the document says (topics, keys, headers, JSON payloads).

    kafka_peer.py produce BOOTSTRAP TOPIC KEY PAYLOAD [NAME=VALUE ...]
    kafka_peer.py consume BOOTSTRAP TOPIC COUNT

`produce` sends one record and waits for the broker's acknowledgement; `consume` reads the
topic's first partition from its beginning and prints COUNT records, one JSON object per line:
{"key": ..., "headers": {...}, "value": ..., "partition": ..., "offset": ...}.
"""

import json
import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition


def produce(bootstrap, topic, key, payload, headers):
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    pairs = [tuple(h.split("=", 1)) for h in headers]
    future = producer.send(
        topic,
        value=payload.encode(),
        key=key.encode(),
        headers=[(name, value.encode()) for name, value in pairs],
    )
    metadata = future.get(timeout=20)
    producer.flush()
    print(json.dumps({"partition": metadata.partition, "offset": metadata.offset}), flush=True)


def consume(bootstrap, topic, count):
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        consumer_timeout_ms=20000,
    )
    partition = TopicPartition(topic, 0)
    consumer.assign([partition])
    consumer.seek_to_beginning(partition)
    seen = 0
    for record in consumer:
        print(
            json.dumps(
                {
                    "key": record.key.decode() if record.key is not None else None,
                    "headers": {k: v.decode() for k, v in record.headers},
                    "value": json.loads(record.value),
                    "partition": record.partition,
                    "offset": record.offset,
                }
            ),
            flush=True,
        )
        seen += 1
        if seen == count:
            return
    sys.exit(f"only {seen} of {count} records within 20 s")


if __name__ == "__main__":
    mode, bootstrap, topic = sys.argv[1:4]
    if mode == "produce":
        produce(bootstrap, topic, sys.argv[4], sys.argv[5], sys.argv[6:])
    elif mode == "consume":
        consume(bootstrap, topic, int(sys.argv[4]))
    else:
        sys.exit(f"unknown mode {mode}")
