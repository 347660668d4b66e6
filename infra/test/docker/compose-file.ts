import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** The variables of a `.env` file, read as compose reads it: `KEY=value`, `#` comments, optional quotes. */
export function readEnvFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of readFileSync(file, "utf8").split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq < 1) throw new Error(`${file}: not KEY=value: ${line}`);
    const value = line.slice(eq + 1).trim();
    out[line.slice(0, eq).trim()] = /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
  }
  return out;
}

/**
 * Compose's interpolation of one value: `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?message}`, `${VAR?message}`, `$VAR`, and `$$` for a dollar. An unset variable without a
 * default is blank (compose warns); `?` forms stop compose with their message.
 */
export function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (all, braced: string | undefined, op: string | undefined, arg: string | undefined, bare?: string) => {
      if (all === "$$") return "$";
      const name = (braced ?? bare)!;
      const v = vars[name];
      const missing = op?.startsWith(":") ? v === undefined || v === "" : v === undefined;
      if (op === ":-" || op === "-") return missing ? (arg ?? "") : v!;
      if (op === ":?" || op === "?") {
        if (missing) throw new Error(`required variable ${name} is missing a value: ${arg}`);
        return v!;
      }
      return v ?? "";
    },
  );
}

function interpolateAll(node: unknown, vars: Record<string, string>): unknown {
  if (typeof node === "string") return interpolate(node, vars);
  if (Array.isArray(node)) return node.map((n) => interpolateAll(n, vars));
  if (node && typeof node === "object")
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateAll(v, vars)]));
  return node;
}

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}

/**
 * docker-compose.yml as `docker compose config` resolves it: YAML anchors and `<<` merge keys
 * applied, every `${...}` interpolated from `vars` (compose reads them from `.env`).
 */
export function readCompose(root: string, vars: Record<string, string>): Record<string, ComposeService> {
  const doc = parse(readFileSync(join(root, "docker-compose.yml"), "utf8"), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  return (interpolateAll(doc, vars) as typeof doc).services;
}

/** A service's environment as its process sees it: the image's `ENV`, then compose's `environment`. */
export function containerEnv(
  imageEnv: Record<string, string>,
  service: ComposeService,
): Record<string, string> {
  const out = { ...imageEnv };
  for (const [k, v] of Object.entries(service.environment ?? {})) if (v !== null) out[k] = String(v);
  return out;
}

export interface Dockerfile {
  env: Record<string, string>;
  run: string[];
  cmd: string[];
  from: string;
}

/** The instructions of a Dockerfile this test needs: FROM, RUN, ENV (`A=b C=d` or `A b`) and CMD (exec form). */
export function readDockerfile(file: string): Dockerfile {
  const out: Dockerfile = { env: {}, run: [], cmd: [], from: "" };
  const text = readFileSync(file, "utf8").replace(/\\\n/g, " ");
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const m = /^([A-Z]+)\s+(.*)$/.exec(line);
    if (!m || line.startsWith("#")) continue;
    const [, instruction, rest] = m as unknown as [string, string, string];
    if (instruction === "FROM") out.from = rest;
    if (instruction === "RUN") out.run.push(rest);
    if (instruction === "CMD") out.cmd = JSON.parse(rest) as string[];
    if (instruction === "ENV") {
      if (rest.includes("=")) {
        for (const pair of rest.match(/[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|\S*)/g) ?? []) {
          const eq = pair.indexOf("=");
          out.env[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^"(.*)"$/, "$1");
        }
      } else {
        const [key, ...value] = rest.split(/\s+/);
        out.env[key!] = value.join(" ");
      }
    }
  }
  return out;
}
