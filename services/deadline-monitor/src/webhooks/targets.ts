import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";

/**
 * Where a webhook may point. An alert carries dossier codes and deadlines, and the monitor sits
 * inside the province's network: a webhook must not turn it into a client of that network. A
 * target is refused unless every address its host resolves to (or the address it names) is an
 * ordinary public unicast address: loopback, private, link-local, carrier-grade NAT, multicast,
 * broadcast, unspecified and reserved ranges are refused in IPv4 and IPv6 alike, and an IPv6 form
 * that embeds an IPv4 address (mapped `::ffff:a.b.c.d`, compatible, NAT64, 6to4, Teredo) is judged
 * by what it embeds or refused. Only the operator's allow-list (WEBHOOK_ALLOWED_TARGETS) opens an
 * address that these rules refuse. The check runs at registration and again at every delivery,
 * and the delivery connects to the address it checked, so a name that changes its answer in
 * between gains nothing.
 */

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface AllowEntry {
  range: [Address, number];
  /** Only this port, when the entry names one. */
  port: number | null;
}

export type Resolver = (host: string) => Promise<string[]>;

/** The machine's resolver (`/etc/hosts`, then DNS), every address of the name. */
export const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export type TargetCheck =
  | { ok: true; address: string; port: number }
  | { ok: false; reason: "target-refused" };

function parseRange(text: string): [Address, number] {
  if (!text.includes("/")) {
    const addr = ipaddr.process(text);
    return [addr, addr.kind() === "ipv4" ? 32 : 128];
  }
  const [addr, bits] = ipaddr.parseCIDR(text);
  if (addr instanceof ipaddr.IPv6 && addr.isIPv4MappedAddress()) return [addr.toIPv4Address(), bits - 96];
  return [addr, bits];
}

/**
 * Parses the allow-list: comma-separated addresses or CIDR ranges, each optionally with a port
 * (`127.0.0.1:8080`, `[::1]:8080`, `10.20.0.0/16`, `fd00::/8`). Throws naming a bad entry.
 */
export function parseAllowList(text: string): AllowEntry[] {
  return text
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)
    .map((entry) => {
      try {
        const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry);
        if (bracketed)
          return { range: parseRange(bracketed[1]!), port: bracketed[2] ? Number(bracketed[2]) : null };
        const v4port = /^([\d.]+(?:\/\d+)?):(\d{1,5})$/.exec(entry);
        if (v4port) return { range: parseRange(v4port[1]!), port: Number(v4port[2]) };
        return { range: parseRange(entry), port: null };
      } catch {
        throw new Error(`"${entry}" is not an address, a CIDR range, or either with :port`);
      }
    });
}

function allowed(addr: Address, port: number, allow: readonly AllowEntry[]): boolean {
  if (addr.range() === "unicast") return true;
  return allow.some(
    (e) => e.range[0].kind() === addr.kind() && addr.match(e.range) && (e.port === null || e.port === port),
  );
}

/** The port a URL reaches: its own, or its scheme's. */
export function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

/**
 * Checks a webhook target and picks the address to connect to. A name that does not resolve is
 * refused the same way as one that resolves to an inside address, so that the answer never tells
 * which names exist inside.
 */
export async function checkTarget(
  url: URL,
  allow: readonly AllowEntry[],
  resolve: Resolver = systemResolver,
): Promise<TargetCheck> {
  const refused = { ok: false, reason: "target-refused" } as const;
  if (url.protocol !== "http:" && url.protocol !== "https:") return refused;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      return refused;
    }
  }
  if (addresses.length === 0) return refused;
  const port = portOf(url);
  const parsed: Address[] = [];
  for (const a of addresses) {
    let addr: Address;
    try {
      addr = ipaddr.process(a);
    } catch {
      return refused;
    }
    if (!allowed(addr, port, allow)) return refused;
    parsed.push(addr);
  }
  return { ok: true, address: parsed[0]!.toString(), port };
}
