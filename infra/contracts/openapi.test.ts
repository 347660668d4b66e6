import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPolicyTable } from "../../test/access/policy-table.js";
import { openApiDocument, services, writeOpenApiDocuments } from "./openapi.js";

/**
 * The four OpenAPI documents, made as `/docs/json` serves them, linted by Redocly's CLI with the
 * repository's redocly.yaml (the recommended rules), beside the AsyncAPI document; and held to the
 * access policy and to the seed catalogue their examples are taken from.
 */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const METHODS = ["get", "put", "post", "delete", "patch"];

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  security?: Json[];
  responses: Record<string, Json>;
}
type Document = Json & { paths: Record<string, Record<string, Operation>> };

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { source: { ref: string } }[] }[];
}

/** The CLI prints one JSON report per file, one after the other. */
function reports(out: string): LintReport[] {
  const found: LintReport[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < out.length; i++) {
    const c = out[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" && depth++ === 0) start = i;
    else if (c === "}" && --depth === 0) found.push(JSON.parse(out.slice(start, i + 1)) as LintReport);
  }
  return found;
}

let dir: string;
let files: string[];
const docs = new Map<string, Document>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tthc-openapi-"));
  files = await writeOpenApiDocuments(dir);
  for (const [i, def] of services.entries())
    docs.set(def.name, JSON.parse(readFileSync(files[i]!, "utf8")) as Document);
  // Four services built on a loaded two-core machine, or under faketime's slower clock.
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const operations = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
  );

describe("the contracts a client is generated from", () => {
  it("lint clean with Redocly's recommended rules: the four OpenAPI documents and the AsyncAPI one", () => {
    const asyncapi = join(ROOT, "docs/contracts/asyncapi.json");
    const run = spawnSync("pnpm", ["exec", "redocly", "lint", "--format", "json", ...files, asyncapi], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, REDOCLY_SUPPRESS_NOTIFICATIONS: "true" },
    });
    const all = reports(run.stdout);
    expect(all, run.stderr).toHaveLength(files.length + 1);
    const problems = all.flatMap((r) =>
      r.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.source.ref}: ${p.message}`),
    );
    expect(problems.filter((p) => p.startsWith("error"))).toEqual([]);
    // The AsyncAPI operations declare no security (the brokers are plaintext); nothing else may warn.
    expect(problems.filter((p) => !p.includes("security-defined") || !p.includes("asyncapi.json"))).toEqual(
      [],
    );
    expect(run.status, run.stderr).toBe(0);
    // Redocly's CLI starts and reads five documents: about 2 s here, 13 s under faketime.
  }, 120_000);

  it("ask for the bearer token exactly where docs/access-policy.md does", () => {
    const rows = readPolicyTable();
    const wrong: string[] = [];
    for (const [service, doc] of docs) {
      for (const { key, op } of operations(doc)) {
        const row = rows.find((r) => r.service === service && `${r.method} ${r.path}` === key);
        if (!row) {
          wrong.push(`${service} ${key}: no row`);
          continue;
        }
        const wantsToken = row.who !== "public";
        const asks = (op.security ?? []).some((s) => "bearerAuth" in s);
        if (asks !== wantsToken) wrong.push(`${service} ${key}: security ${JSON.stringify(op.security)}`);
        if (wantsToken && !op.responses["401"]) wrong.push(`${service} ${key}: no 401`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("document a reception as the 201 it answers, and a retry as 200", () => {
    const receive = docs.get("intake")?.paths["/v1/dossiers"]?.post;
    expect(Object.keys(receive?.responses ?? {})).toEqual(expect.arrayContaining(["200", "201"]));
    expect(receive?.operationId).toBe("receiveDossier");
    expect(docs.get("deadline-monitor")?.paths["/v1/webhooks/{id}"]?.delete?.responses["204"]).toBeDefined();
    expect(docs.get("statistics")?.paths["/v1/stats/rebuild"]?.post?.responses["202"]).toBeDefined();
  });

  it("take their examples from the seed catalogue: its unit and procedure codes, with their names", () => {
    const units = (
      JSON.parse(readFileSync(join(ROOT, "services/intake/data/units.json"), "utf8")) as {
        units: { code: string; name: string; electronicId: string }[];
      }
    ).units;
    const procedures = (
      JSON.parse(readFileSync(join(ROOT, "services/intake/data/procedures.json"), "utf8")) as {
        procedures: { code: string; name: string }[];
      }
    ).procedures;
    const unitCodes = new Set(units.map((u) => u.code));
    const electronicIds = new Set(units.map((u) => u.electronicId));
    const procedureCodes = new Set(procedures.map((p) => p.code));
    const names = new Set([...units.map((u) => u.name), ...procedures.map((p) => p.name)]);
    const seen = { units: 0, procedures: 0, dossiers: 0 };
    const strange: string[] = [];
    const look = (v: unknown, where: string, inExample: boolean): void => {
      if (Array.isArray(v)) {
        for (const [i, x] of v.entries()) look(x, `${where}[${i}]`, inExample);
      } else if (v && typeof v === "object")
        for (const [k, x] of Object.entries(v)) {
          const example = inExample || k === "example" || k === "examples";
          if (
            inExample &&
            (k === "unitName" || k === "procedureName") &&
            typeof x === "string" &&
            !names.has(x)
          )
            strange.push(`${where}.${k}: ${x}`);
          look(x, `${where}.${k}`, example);
        }
      else if (inExample && typeof v === "string") {
        if (/^[A-Z]\d{2}(\.[0-9A-Z]{1,6})*$/.test(v)) {
          seen.units++;
          if (!unitCodes.has(v)) strange.push(`${where}: unit ${v}`);
        }
        if (/^\d\.\d{6}$/.test(v)) {
          seen.procedures++;
          if (!procedureCodes.has(v)) strange.push(`${where}: procedure ${v}`);
        }
        const dossier = /^(.+)-\d{6}-\d{4,}$/.exec(v);
        if (dossier) {
          seen.dossiers++;
          if (!electronicIds.has(dossier[1]!)) strange.push(`${where}: dossier code ${v}`);
        }
      }
    };
    for (const [service, doc] of docs) look(doc, service, false);
    expect(strange).toEqual([]);
    expect(seen.units).toBeGreaterThan(20);
    expect(seen.procedures).toBeGreaterThan(10);
    expect(seen.dossiers).toBeGreaterThan(10);
  });

  it("are what each service serves: the document of a service built twice is the same", async () => {
    const again = await openApiDocument(services[0]!);
    expect(again).toEqual(docs.get(services[0]!.name));
  });
});
