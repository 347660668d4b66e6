import { deadLetterTopic } from "@tthc/contracts";
import type { IncomingMessage } from "./consumer.js";
import type { BusProducer } from "./producer.js";

export type DeadLetterReason = "invalid" | "failed";

/** Headers a dead letter carries besides the original bytes and key. */
export const DLQ_HEADERS = {
  reason: "dlq-reason",
  error: "dlq-error",
  topic: "dlq-original-topic",
  partition: "dlq-original-partition",
  offset: "dlq-original-offset",
  consumer: "dlq-consumer",
  at: "dlq-at",
} as const;

/**
 * Sends a message a consumer could not handle to `<topic>.dlq`: the original key and bytes, the
 * original headers, and why (`invalid`: it does not parse; `failed`: the handler kept failing).
 */
export async function sendToDeadLetters(
  producer: BusProducer,
  consumer: string,
  message: IncomingMessage,
  reason: DeadLetterReason,
  error: string,
): Promise<void> {
  await producer.send(deadLetterTopic(message.topic), [
    {
      key: message.key,
      value: message.value ?? Buffer.alloc(0),
      headers: {
        ...message.headers,
        [DLQ_HEADERS.reason]: reason,
        [DLQ_HEADERS.error]: error.slice(0, 4_000),
        [DLQ_HEADERS.topic]: message.topic,
        [DLQ_HEADERS.partition]: String(message.partition),
        [DLQ_HEADERS.offset]: message.offset,
        [DLQ_HEADERS.consumer]: consumer,
        [DLQ_HEADERS.at]: new Date().toISOString(),
      },
    },
  ]);
}
