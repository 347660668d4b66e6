import { randomUUID } from "node:crypto";
import { type AnyEvent, type StaffRole as Role, topicOfEvent } from "@tthc/contracts";
import { buildService, ManualClock, type RunningService } from "@tthc/service-kit";
import { createTestEnv, http, type JsonResponse, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { expect } from "vitest";
import { type Config, service } from "../src/service.js";
import { deadlineSet, publish, publishCatalog, publishOnPartitionOf, received } from "./fixtures.js";

export type Who = [unit: string, role: Role | Role[], sub?: string];
export const leader100: Who = ["H44.100", "leader", "ld@H44.100"];
export const spec100: Who = ["H44.100", "specialist", "cv@H44.100"];
export const reception100: Who = ["H44.100", "reception", "tn@H44.100"];
const admin: Who = ["H44.100", ["leader", "admin"], "admin@H44.100"];

/**
 * Processing under test on real servers, in a world of its own, with a clock that moves only when
 * the test says: every business instant it reads comes from `clock`.
 */
export interface Processing {
  env: TestEnv;
  svc: RunningService<Config>;
  url: string;
  clock: ManualClock;
  act(id: string, action: string, who: Who, body: Record<string, unknown>): Promise<JsonResponse>;
  get(id: string, who?: Who): Promise<JsonResponse>;
  queue(query: string, who?: Who): Promise<JsonResponse>;
  /** Acts with the current version and expects success; returns the new view. */
  step(id: string, action: string, who: Who, body?: Record<string, unknown>): Promise<JsonResponse["body"]>;
  /** Publishes the reception and waits until the dossier can be read. */
  receive(event: AnyEvent): Promise<string>;
  /** Waits until the dossier shows the monitor's data of `sequence`. */
  slaShown(id: string, sequence: number): Promise<JsonResponse["body"]>;
  /**
   * Waits until processing's consumer is past `event` (whatever it did with it, maybe nothing): a
   * marker published after it on its partition has taken effect, a dossier or sla row of its own.
   */
  handled(event: AnyEvent): Promise<void>;
  stop(): Promise<void>;
}

export async function startProcessing(name: string, start: string): Promise<Processing> {
  const env = await createTestEnv(name);
  const clock = new ManualClock(start);
  const svc = await buildService(service, { env: env.serviceEnv(), clock });
  const url = await svc.start();
  await publishCatalog(env, clock.now());
  const headers = (who: Who) => tokenFor(who[0], who[1], who[2]);
  const get = (id: string, who: Who = leader100) =>
    http(`${url}/v1/dossiers/${id}`, { headers: headers(who) });
  const act = (id: string, action: string, who: Who, body: Record<string, unknown>) =>
    http(`${url}/v1/dossiers/${id}/${action}`, { body, headers: headers(who) });
  return {
    env,
    svc,
    url,
    clock,
    act,
    get,
    queue: (query, who = leader100) => http(`${url}/v1/dossiers${query}`, { headers: headers(who) }),
    async step(id, action, who, body = {}) {
      const current = await get(id, who[0] === "H44.100" ? leader100 : [who[0], "leader"]);
      const res = await act(id, action, who, { expectedVersion: current.body.version, ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    },
    async receive(event) {
      await publish(env, [event]);
      await waitUntil(
        `dossier ${event.dossierId} received`,
        async () => (await get(event.dossierId, admin)).status === 200,
      );
      return event.dossierId;
    },
    slaShown: (id, sequence) =>
      waitUntil(`dossier ${id} at sla sequence ${sequence}`, async () => {
        const { body } = await get(id, admin);
        return body?.slaSequence === sequence ? body : undefined;
      }),
    async handled(event) {
      const topic = topicOfEvent(event.type);
      // Of a dossier no test uses, at a unit no test reads, with no step run: seen by no query.
      const other = received(clock.now(), { dossierId: randomUUID(), receivingUnitCode: "H44.99" });
      const marker =
        topic === "sla.events" ? deadlineSet(other, clock.now(), { sequence: 1, steps: [] }) : other;
      await publishOnPartitionOf(env, topic, event.dossierId, [marker]);
      const table =
        topic === "sla.events" ? "sla_latest WHERE dossier_id = $1" : "timeline WHERE event_id = $1";
      const id = topic === "sla.events" ? other.dossierId : other.id;
      await waitUntil(`marker after ${event.type} ${event.id} applied`, async () => {
        const { rowCount } = await env.pool.query(`SELECT 1 FROM ${table}`, [id]);
        return rowCount === 1;
      });
    },
    async stop() {
      await svc?.stop();
      await env?.cleanup();
    },
  };
}
