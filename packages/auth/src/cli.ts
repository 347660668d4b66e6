/**
 * `pnpm token --unit CODE --role reception|specialist|leader|admin [--role ...] [--sub NAME] [--ttl SECONDS]`
 * prints a signed bearer token on one line, signed with AUTH_SIGNING_KEY (the local stack's
 * development key when unset). `--help` says how; bad input gets one line on stderr.
 */
import { parseArgs } from "node:util";
import { DEV_SIGNING_KEY } from "./dev-key.js";
import { Role, Staff, signToken } from "./token.js";

const USAGE = `usage: pnpm token --unit CODE --role ROLE [--role ROLE ...] [--sub NAME] [--name TEXT] [--ttl SECONDS]

Prints a bearer token for the staff endpoints, signed with AUTH_SIGNING_KEY (the local stack's
development key when it is unset; give the services' key for a stack that has its own).

  --unit CODE       the staff member's unit, like H44.100
  --role ROLE       reception, specialist, leader or admin; repeat it for several roles
  --sub NAME        the subject (default: ROLE@CODE of the first role)
  --name TEXT       the display name, at most 200 characters
  --ttl SECONDS     how long the token is valid (default 28800, eight hours)
  -h, --help        this text

  pnpm token --unit H44.100 --role reception
`;

/** What each field of a staff member must be, said for the option that gives it. */
const FIELD_RULES: Record<string, string> = {
  unit: "--unit must be a unit code like H44.100",
  sub: "--sub must be 1 to 100 characters",
  name: "--name must be at most 200 characters",
  roles: "--role must be reception, specialist, leader or admin",
};

function fail(message: string): never {
  process.stderr.write(`token: ${message} (pnpm token --help shows the usage)\n`);
  process.exit(2);
}

let values: { unit?: string; role?: string[]; sub?: string; ttl?: string; name?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      unit: { type: "string" },
      role: { type: "string", multiple: true },
      sub: { type: "string" },
      name: { type: "string" },
      ttl: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (err) {
  fail((err as Error).message);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (!values.unit) fail("--unit is required");
if (!values.role?.length) fail("--role is required");
const roles = values.role.map((r) => {
  const parsed = Role.safeParse(r);
  if (!parsed.success) fail(`unknown role "${r}" (reception, specialist, leader, admin)`);
  return parsed.data;
});
const ttl = values.ttl ? Number(values.ttl) : 8 * 3600;
if (!Number.isInteger(ttl) || ttl <= 0) fail("--ttl must be a positive number of seconds");
const staff = Staff.safeParse({
  sub: values.sub ?? `${roles[0]}@${values.unit}`,
  unit: values.unit,
  roles,
  name: values.name,
});
if (!staff.success) {
  const field = String(staff.error.issues[0]?.path[0] ?? "");
  fail(FIELD_RULES[field] ?? `${field}: ${staff.error.issues[0]?.message}`);
}
process.stdout.write(`${signToken(staff.data, process.env.AUTH_SIGNING_KEY || DEV_SIGNING_KEY, ttl)}\n`);
