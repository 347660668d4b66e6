/**
 * `pnpm token --unit CODE --role reception|specialist|leader|admin [--role ...] [--sub NAME] [--ttl SECONDS]`
 * prints a signed bearer token on one line, signed with AUTH_SIGNING_KEY (the local stack's
 * development key when unset).
 */
import { parseArgs } from "node:util";
import { DEV_SIGNING_KEY } from "./dev-key.js";
import { Role, signToken } from "./token.js";

function fail(message: string): never {
  process.stderr.write(
    `token: ${message}\nusage: pnpm token --unit H44.100 --role reception [--sub NAME] [--ttl 28800]\n`,
  );
  process.exit(2);
}

let values: { unit?: string; role?: string[]; sub?: string; ttl?: string; name?: string };
try {
  ({ values } = parseArgs({
    options: {
      unit: { type: "string" },
      role: { type: "string", multiple: true },
      sub: { type: "string" },
      name: { type: "string" },
      ttl: { type: "string" },
    },
  }));
} catch (err) {
  fail((err as Error).message);
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
try {
  const token = signToken(
    { sub: values.sub ?? `${roles[0]}@${values.unit}`, unit: values.unit, roles, name: values.name },
    process.env.AUTH_SIGNING_KEY || DEV_SIGNING_KEY,
    ttl,
  );
  process.stdout.write(`${token}\n`);
} catch (err) {
  fail((err as Error).message.replace(/\s+/g, " "));
}
