import { BusConsumer, type IncomingMessage } from "@tthc/bus";
import { buildService, type Clock, type RunningService } from "@tthc/service-kit";
import type { TestEnv } from "@tthc/testkit";
import { type Config, service } from "../src/service.js";

/** An intake service in this process, on the test file's world, on the test's clock. */
export async function startIntake(
  env: TestEnv,
  extra: Record<string, string> = {},
  clock?: Clock,
): Promise<{ service: RunningService<Config>; url: string }> {
  const running = await buildService(service, { env: env.serviceEnv(extra), ...(clock ? { clock } : {}) });
  const url = await running.start();
  return { service: running, url };
}

/** Everything published on some topics of the test's world, from the beginning. */
export async function collect(
  env: TestEnv,
  group: string,
  topics: string[],
): Promise<{ messages: IncomingMessage[]; stop(): Promise<void> }> {
  const messages: IncomingMessage[] = [];
  const consumer = new BusConsumer(env.bus, { groupId: group, topics, fromBeginning: true });
  await consumer.start(async (batch) => {
    messages.push(...batch.messages);
    return batch.messages.at(-1)?.offset;
  });
  return { messages, stop: () => consumer.stop() };
}

export type Json = Record<string, unknown>;
export const jsonOf = (m: IncomingMessage): Json => JSON.parse(m.value?.toString() ?? "null") as Json;

export const APPLICANT = {
  name: "Nguyễn Thị Lan",
  identityNumber: "025190001234",
  phone: "0912345678",
  address: "Số 12, đường Hùng Vương, Phường Việt Trì, Phú Thọ",
};

/** A commune with the default sessions, its electronic identifier, and a ten-day inter-unit procedure. */
export const UNIT = "H44.101";
export const UNIT_ID = "000.00.101.H44";
export const PROCEDURE = "9.000002";
