import { faultScenario } from "./harness.js";

faultScenario("PostgreSQL is restarted (pg_ctl restart -m fast) during the load", {
  seed: 26,
  fault: async (sandbox) => {
    await sandbox.restartPostgres();
  },
});
