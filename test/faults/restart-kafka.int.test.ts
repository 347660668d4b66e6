import { faultScenario } from "./harness.js";

faultScenario("the Kafka broker is stopped during the load and started again", {
  seed: 25,
  fault: async (sandbox) => {
    await sandbox.restartKafka();
  },
});
