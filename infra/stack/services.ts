import { join } from "node:path";
import { LOGS, ROOT } from "./paths.js";
import { readPid, say, startDetached, stopProcess, tail, waitFor } from "./proc.js";
import { type ServiceSpec, serviceEnv, services } from "./settings.js";

export const baseUrl = (s: ServiceSpec) => `http://127.0.0.1:${s.port}`;

async function healthy(s: ServiceSpec): Promise<boolean> {
  const res = await fetch(`${baseUrl(s)}/healthz`, { signal: AbortSignal.timeout(1_000) });
  return res.status === 200;
}

/**
 * Starts one service process in the background (log in .run/logs/NAME.log) unless it runs already.
 * `clock` is the shared clock's environment (shared-clock.ts); none for the machine's clock.
 */
export function startService(s: ServiceSpec, clock: Record<string, string> = {}): void {
  if (readPid(s.name) !== undefined) return;
  const env: NodeJS.ProcessEnv = { ...process.env, ...serviceEnv(s), ...clock };
  // A clock variable left in the shell must not put one service on another clock than the rest.
  if (!("CLOCK" in clock)) for (const v of ["CLOCK", "CLOCK_ORIGIN", "CLOCK_SPEED"]) delete env[v];
  startDetached(s.name, process.execPath, ["--import", "tsx", join("services", s.name, "src", "main.ts")], {
    cwd: ROOT,
    env,
  });
}

export async function startServices(clock: Record<string, string> = {}): Promise<void> {
  for (const s of services) startService(s, clock);
  await Promise.all(
    services.map((s) =>
      waitFor(`${s.name} /healthz`, () => healthy(s), 60_000).catch((err) => {
        say(`${s.name} did not come up:\n${tail(join(LOGS, `${s.name}.log`))}`);
        throw err;
      }),
    ),
  );
}

export async function stopServices(): Promise<void> {
  await Promise.all(services.map((s) => stopProcess(s.name, 20_000)));
}

export function runningServices(): string[] {
  return services.filter((s) => readPid(s.name) !== undefined).map((s) => s.name);
}
