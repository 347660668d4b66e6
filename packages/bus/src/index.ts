export { BusAdmin, type TopicState } from "./admin.js";
export { type BusClient, type BusConfig, createBusClient, parseBrokers } from "./client.js";
export {
  type BatchHandler,
  BusConsumer,
  type BusConsumerOptions,
  type IncomingBatch,
  type IncomingMessage,
} from "./consumer.js";
export { type DeadLetterReason, DLQ_HEADERS } from "./dead-letters.js";
export { isTransient, PermanentError, TransientError } from "./errors.js";
export {
  type Delivery,
  type DeliveryHandler,
  IdempotentConsumer,
  type IdempotentConsumerOptions,
} from "./idempotent-consumer.js";
export { type BusLogger, silentLogger } from "./logger.js";
export {
  catalogDecoder,
  catalogRecord,
  type Decoder,
  eventDecoder,
  eventRecord,
  type OutgoingRecord,
} from "./messages.js";
export { type BusMetrics, busMetrics } from "./metrics.js";
export { enqueue, outboxPending } from "./outbox.js";
export { OutboxRelay, type OutboxRelayOptions } from "./outbox-relay.js";
export { BusProducer, type OutgoingMessage } from "./producer.js";
export { busTablesSql, ensureBusTables } from "./schema.js";
