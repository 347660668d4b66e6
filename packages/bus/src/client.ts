import { topicName } from "@tthc/contracts";
import { Kafka, type LogEntry, logLevel } from "kafkajs";
import { type BusLogger, silentLogger } from "./logger.js";

export interface BusConfig {
  /** `host:port` of the bootstrap brokers. */
  brokers: string[];
  clientId: string;
  /** Put in front of every topic name; isolates test files (and could isolate deployments). */
  topicPrefix?: string;
  logger?: BusLogger;
  /** How long to wait for a broker connection before failing a call. */
  connectionTimeoutMs?: number;
}

/**
 * kafkajs warns of this for every idempotent producer whose retries are bounded. Ours are bounded
 * on purpose: a send that gives up fails the outbox relay's batch, the relay sends the same rows
 * again, and consumers drop the duplicates by event id, so nothing is lost or counted twice.
 */
const BOUNDED_RETRIES_ADVISORY = "Limiting retries for the idempotent producer";

/** kafkajs speaks through our logger, at warn level and above, with its own fields kept. */
function logCreator(logger: BusLogger) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...rest } = log;
      const fields = { kafka: rest };
      if (level === logLevel.ERROR) logger.error(fields, message);
      else if (level === logLevel.WARN && message.startsWith(BOUNDED_RETRIES_ADVISORY))
        logger.debug(fields, message);
      else if (level === logLevel.WARN) logger.warn(fields, message);
      else if (level === logLevel.INFO) logger.info(fields, message);
      else logger.debug(fields, message);
    };
}

export interface BusClient {
  readonly kafka: Kafka;
  readonly config: Required<Pick<BusConfig, "clientId" | "topicPrefix">> & BusConfig;
  readonly logger: BusLogger;
  /** The real topic name of a catalogue topic in this deployment. */
  topic(base: string): string;
}

export function createBusClient(config: BusConfig): BusClient {
  const logger = config.logger ?? silentLogger;
  const topicPrefix = config.topicPrefix ?? "";
  const kafka = new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    connectionTimeout: config.connectionTimeoutMs ?? 3000,
    logLevel: logLevel.WARN,
    logCreator: logCreator(logger),
    retry: { initialRetryTime: 100, retries: 8 },
  });
  return {
    kafka,
    logger,
    config: { ...config, topicPrefix },
    topic: (base) => topicName(topicPrefix, base),
  };
}

/** `KAFKA_BROKERS`-style list: "a:9092,b:9092". */
export function parseBrokers(list: string): string[] {
  return list
    .split(",")
    .map((b) => b.trim())
    .filter(Boolean);
}
