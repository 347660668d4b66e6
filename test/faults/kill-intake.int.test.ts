import { faultScenario } from "./harness.js";

faultScenario("intake is killed (SIGKILL) during the load and started again", {
  seed: 21,
  fault: async (sandbox) => {
    await sandbox.killService("intake");
    await sandbox.startService("intake");
  },
});
