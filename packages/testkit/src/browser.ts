/**
 * For tests that start Debian's Chromium: the environment without libfaketime's preload and
 * settings (infra/stack/clock-matrix.ts). The browser keeps the machine's real clock, as a user's
 * would: under the clock matrix Chromium never finishes a load. Pages read their period from the
 * service's clock, never from the browser's.
 */
export function withoutFakedTime(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || k.startsWith("FAKETIME")) continue;
    if (k === "LD_PRELOAD") {
      const rest = v.split(/[: ]/).filter((lib) => lib !== "" && !lib.includes("faketime"));
      if (rest.length > 0) out[k] = rest.join(":");
      continue;
    }
    out[k] = v;
  }
  return out;
}
