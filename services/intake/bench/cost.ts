import { AsyncLocalStorage } from "node:async_hooks";
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { Pool, PoolClient } from "@tthc/service-kit";

/**
 * What the service's requests cost outside its own process. Round trips: the statements it sends
 * to PostgreSQL while it handles an HTTP request, each one round trip (node-postgres sends the next
 * query only when the previous one has answered), through `pool.query` or a checked-out client,
 * BEGIN and COMMIT included; the outbox relay and the consumers run outside any request and are not
 * counted. PostgreSQL CPU: the user and system time of the server processes behind the service's
 * pool (relay and consumers included), read from /proc. Install before the pool connects.
 */
export function measureCost(pool: Pool, server: Server) {
  const inRequest = new AsyncLocalStorage<true>();
  const backends = new Set<number>();
  let statements = 0;
  server.prependListener("request", () => inRequest.enterWith(true));
  pool.on("connect", (client: PoolClient) => {
    const pid = (client as unknown as { processID: number | null }).processID;
    if (pid) backends.add(pid);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      if (inRequest.getStore()) statements += 1;
      return query(...args);
    };
  });
  const TICK_MS = 10; // USER_HZ is 100 on Linux
  const backendCpuMs = () => {
    let ticks = 0;
    for (const pid of backends) {
      try {
        // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // A backend that ended (the pool closed an idle client) took its time with it.
      }
    }
    return ticks * TICK_MS;
  };
  let mark = { statements: 0, postgresMs: 0, processMs: process.cpuUsage() };
  return {
    start() {
      mark = { statements, postgresMs: backendCpuMs(), processMs: process.cpuUsage() };
    },
    /** Since `start`: statements sent in requests, CPU ms of the PostgreSQL backends and of this process. */
    read() {
      const cpu = process.cpuUsage(mark.processMs);
      return {
        statements: statements - mark.statements,
        postgresCpuMs: backendCpuMs() - mark.postgresMs,
        processCpuMs: (cpu.user + cpu.system) / 1000,
      };
    },
  };
}
