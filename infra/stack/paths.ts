import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** Runtime state of the local stack: pid files, logs, the broker's data. git ignores it. */
export const RUN = join(ROOT, ".run");
export const LOGS = join(RUN, "logs");
/** Downloads that survive `pnpm stop`: the Kafka jars. git ignores it. */
export const CACHE = join(ROOT, ".cache");
