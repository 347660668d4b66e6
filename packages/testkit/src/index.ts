export { type BenchResult, foldFigures, runIfMain, timeRuns } from "./bench.js";
export { withoutFakedTime } from "./browser.js";
export { caughtUp } from "./caught-up.js";
export { http, type JsonBody, type JsonResponse } from "./http.js";
export { applyRuns, chunks, deliveries, dumpTables, OUTBOX_ROW } from "./runs.js";
export { NoServersError, type Servers, serversFromEnv, startContainers } from "./servers.js";
export { createTestEnv, type TestEnv, type TestEnvOptions } from "./test-env.js";
export { tokenFor } from "./tokens.js";
export { waitUntil } from "./wait.js";
