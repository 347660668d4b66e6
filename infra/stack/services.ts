import { join } from "node:path";
import { LOGS, ROOT } from "./paths.js";
import { readPid, say, startDetached, stopProcess, tail, waitFor } from "./proc.js";
import { type ServiceSpec, serviceEnv, services } from "./settings.js";

export const baseUrl = (s: ServiceSpec) => `http://127.0.0.1:${s.port}`;

async function healthy(s: ServiceSpec): Promise<boolean> {
  const res = await fetch(`${baseUrl(s)}/healthz`, { signal: AbortSignal.timeout(1_000) });
  return res.status === 200;
}

/** Starts one service process in the background (log in .run/logs/NAME.log) unless it runs already. */
export function startService(s: ServiceSpec): void {
  if (readPid(s.name) !== undefined) return;
  startDetached(s.name, process.execPath, ["--import", "tsx", join("services", s.name, "src", "main.ts")], {
    cwd: ROOT,
    env: { ...process.env, ...serviceEnv(s) },
  });
}

export async function startServices(): Promise<void> {
  for (const s of services) startService(s);
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
