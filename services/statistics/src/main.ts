import { runService } from "@tthc/service-kit";
import { service } from "./service.js";

await runService(service);
