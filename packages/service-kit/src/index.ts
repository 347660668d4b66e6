export type { FastifyReply, FastifyRequest } from "fastify";
export {
  type AccessRule,
  checkRoles,
  checkUnits,
  type UnitRule,
  type Units,
  type UnitsResolver,
  unitDecision,
} from "./access.js";
export { enforceAccess, staffOf, verifierFromConfig } from "./auth.js";
export {
  type Clock,
  clockConfig,
  clockFromConfig,
  FileClockWriter,
  fileClock,
  ManualClock,
  type ShiftedClockOptions,
  shiftedClock,
  systemClock,
} from "./clock.js";
export { type BaseConfig, baseConfig, ConfigError, loadConfig, port } from "./config.js";
export { AppError, commonErrors, defineErrors, type ErrorBody, errorBody } from "./errors.js";
export { createHttpApp, type HttpApp, type HttpAppOptions, openEventStream, type Readiness } from "./http.js";
export { createLogger, type Logger, redactPaths } from "./logger.js";
export { Counter, createMetricsRegistry, Gauge, Histogram, type Registry } from "./metrics.js";
export { migrate, readMigrations } from "./migrate.js";
export { accessInWords, BEARER_AUTH, type ErrorStatus, errorResponses, fileAnswer } from "./openapi.js";
export { createPool, type Pool, type PoolClient, withTransaction } from "./postgres.js";
export { createRedis, type Redis } from "./redis.js";
export {
  type BuildOptions,
  buildService,
  type RunningService,
  runService,
  type ServiceContext,
  type ServiceDefinition,
} from "./service.js";
export { isUnitBelow, isUnitWithin, parentUnitOf, unitLineage, unitsBelowPattern } from "./units.js";
