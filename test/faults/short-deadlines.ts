/**
 * Dossiers whose deadlines fall after the fault, so that timers which must fire across a restart
 * are checked. They do not depend on how the simulator makes late dossiers: the catalogue itself
 * is given a procedure of three working minutes, a unit that works all day every day and a
 * calendar version without days off, and dossiers are received at the counter, whose clock starts
 * at reception.
 */
import { http, tokenFor, waitUntil } from "@tthc/testkit";
import { expect } from "vitest";
import type { Sandbox } from "../../infra/stack/sandbox.js";

export const SHORT_PROCEDURE = "9.999001";
const admin = tokenFor("H44", "admin");

async function put(url: string, body: unknown) {
  const res = await http(url, { method: "PUT", headers: admin, body });
  expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body as { key: string; revision: number };
}

/** Makes the catalogue's short deadlines at `unit` and waits until the monitor has read them. */
export async function prepareShortDeadlines(sandbox: Sandbox, unit: string): Promise<void> {
  const intake = sandbox.url("intake");
  const year = new Date(Date.now() + 7 * 3_600_000).getUTCFullYear();
  const calendar = (await http(`${intake}/v1/calendars/${year}`, { headers: admin })).body.data;
  const { previousVersions: _kept, ...latest } = calendar;
  const written = [
    await put(`${intake}/v1/calendars/${year}`, {
      ...latest,
      version: latest.version + 1,
      effectiveFrom: new Date(Date.now() - 60_000).toISOString(),
      source: "Fault tests: no day off, so that a three-minute deadline falls on any day",
      daysOff: [],
      workingDays: [],
    }),
    await put(`${intake}/v1/units/${unit}`, {
      ...(await http(`${intake}/v1/units/${unit}`, { headers: admin })).body.data,
      workingSessions: {
        sessions: [{ weekdays: [1, 2, 3, 4, 5, 6, 7], from: "00:00", to: "23:59" }],
        makeUpDaysAreWorking: true,
      },
    }),
    await put(`${intake}/v1/procedures/${SHORT_PROCEDURE}`, {
      ...(await http(`${intake}/v1/procedures/1.004873`, { headers: admin })).body.data,
      code: SHORT_PROCEDURE,
      name: "Thủ tục kiểm thử: ba phút làm việc",
      statutoryTime: { amount: 0.05, unit: "hours" },
      steps: [
        {
          id: "receive",
          name: "Tiếp nhận",
          unitRole: "receiving",
          unitCode: null,
          budget: { amount: 0.01, unit: "hours" },
        },
        {
          id: "review",
          name: "Thẩm định",
          unitRole: "handling",
          unitCode: null,
          budget: { amount: 0.04, unit: "hours" },
        },
      ],
    }),
  ];
  const db = await sandbox.sql();
  try {
    await waitUntil(
      "the monitor to read the short deadlines' catalogue",
      async () => {
        const { rows } = await db.query<{ key: string; revision: number }>(
          "SELECT key, revision FROM monitor.catalog_records WHERE key = ANY($1)",
          [written.map((w) => w.key)],
        );
        return written.every((w) => rows.some((r) => r.key === w.key && r.revision >= w.revision));
      },
      60_000,
      250,
    );
  } finally {
    await db.end();
  }
}

/** Receives `n` dossiers of the short procedure at `unit`; returns their ids. */
export async function receiveShortDossiers(sandbox: Sandbox, unit: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await http(`${sandbox.url("intake")}/v1/dossiers`, {
      headers: tokenFor(unit, "reception"),
      body: {
        channel: "direct",
        procedureCode: SHORT_PROCEDURE,
        receivingUnitCode: unit,
        applicant: { name: "Người thử nghiệm", identityNumber: "025190009999", address: "Phú Thọ" },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.push(res.body.dossierId);
  }
  return ids;
}
