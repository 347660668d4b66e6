import { readFileSync } from "node:fs";

/** One row of docs/access-policy.md's table. */
export interface PolicyRow {
  service: string;
  method: string;
  path: string;
  who: "public" | "any staff" | "admin" | "own unit";
  /** Roles of the own unit (for `any staff`: of any unit); null for every role. */
  roles: string[] | null;
  leaderAbove: boolean;
  admin: boolean;
  outside: 403 | 404 | null;
}

const WHO = new Set(["public", "any staff", "admin", "own unit"]);

/** The rows of the table under "## The table" in docs/access-policy.md. */
export function readPolicyTable(): PolicyRow[] {
  const doc = readFileSync(new URL("../../docs/access-policy.md", import.meta.url), "utf8");
  const section = doc.split("## The table")[1]?.split("\n## ")[0] ?? "";
  const lines = section.split("\n").filter((l) => l.startsWith("|"));
  const [header, , ...rows] = lines;
  const cells = (l: string) =>
    l
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
  const names = cells(header ?? "");
  const col = (row: string[], name: string) => row[names.indexOf(name)] ?? "";
  return rows.map((line) => {
    const row = cells(line);
    const [method, path] = col(row, "operation").replace(/`/g, "").split(" ");
    const who = col(row, "who");
    if (!WHO.has(who)) throw new Error(`docs/access-policy.md: unknown "who" in ${line}`);
    const roles = col(row, "roles");
    const outside = col(row, "outside");
    return {
      service: col(row, "service"),
      method: method!,
      path: path!,
      who: who as PolicyRow["who"],
      roles: roles === "all" || roles === "" ? null : roles.split(",").map((r) => r.trim()),
      leaderAbove: col(row, "leader above") === "yes",
      admin: col(row, "admin") === "yes",
      outside: outside === "403" ? 403 : outside === "404" ? 404 : null,
    };
  });
}

/** A caller of the matrix: its token's unit and roles, or a token that is no good. */
export interface Caller {
  name: string;
  token: "none" | "expired" | "foreign-secret" | "valid";
  unit?: string;
  roles?: string[];
}

export type Expected = "allowed" | 401 | 403 | 404;

/**
 * What the table says `caller` gets for a resource of unit `own`: the order of
 * docs/access-policy.md, "What a caller gets".
 */
export function expectedAnswer(row: PolicyRow, caller: Caller, own: string): Expected {
  if (row.who === "public") return "allowed";
  if (caller.token !== "valid") return 401;
  const roles = caller.roles ?? [];
  const has = (r: string) => roles.includes(r);
  const fits = row.roles === null || roles.some((r) => row.roles!.includes(r));
  if (row.who === "any staff") return fits ? "allowed" : 403;
  if (row.who === "admin") return has("admin") ? "allowed" : 403;
  const mayByRole = fits || (row.leaderAbove && has("leader")) || (row.admin && has("admin"));
  if (!mayByRole) return 403;
  if (row.admin && has("admin")) return "allowed";
  const unit = caller.unit ?? "";
  if (unit === own) return fits ? "allowed" : 403;
  if (row.leaderAbove && has("leader") && own.startsWith(`${unit}.`)) return "allowed";
  return row.outside ?? 403;
}
