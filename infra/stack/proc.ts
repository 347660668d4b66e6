import { type SpawnOptions, spawn } from "node:child_process";
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { LOGS, RUN } from "./paths.js";

export const say = (msg: string) => process.stderr.write(`\x1b[1;34m[tthc]\x1b[0m ${msg}\n`);

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

const pidFile = (name: string) => join(RUN, `${name}.pid`);

export function readPid(name: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile(name), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts a long-running process in its own process group, its output appended to .run/logs/NAME.log,
 * its pid in .run/NAME.pid so that `pnpm stop` finds it from any shell.
 */
export function startDetached(name: string, command: string, args: string[], options: SpawnOptions = {}) {
  mkdirSync(LOGS, { recursive: true });
  const log = openSync(join(LOGS, `${name}.log`), "a");
  const child = spawn(command, args, { ...options, detached: true, stdio: ["ignore", log, log] });
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  writeFileSync(pidFile(name), String(child.pid));
  child.unref();
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopProcess(name: string, graceMs = 20_000): Promise<boolean> {
  const pid = readPid(name);
  rmSync(pidFile(name), { force: true });
  if (pid === undefined) return false;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig); // the whole group: a wrapper and its children
    } catch {
      try {
        process.kill(pid, sig);
      } catch {}
    }
  };
  signal("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    say(`${name} did not stop in ${graceMs} ms: killing it`);
    signal("SIGKILL");
    while (isAlive(pid)) await sleep(50);
  }
  return true;
}

/** Runs a command to completion, its output to the terminal or to a log; rejects on non-zero exit. */
export function run(command: string, args: string[], options: SpawnOptions & { logName?: string } = {}) {
  return new Promise<void>((resolve, reject) => {
    let stdio: SpawnOptions["stdio"] = options.stdio ?? "inherit";
    if (options.logName) {
      mkdirSync(LOGS, { recursive: true });
      const fd = openSync(join(LOGS, `${options.logName}.log`), "a");
      stdio = ["ignore", fd, fd];
    }
    const child = spawn(command, args, { ...options, stdio });
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(" ")} exited with ${code ?? signal}`)),
    );
  });
}

export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, everyMs = 250) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(everyMs);
  }
  throw new Error(`${what} did not become ready within ${Math.round(timeoutMs / 1000)} s`);
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
