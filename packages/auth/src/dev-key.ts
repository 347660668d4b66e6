/**
 * The signing key of the local stack and the tests. Public on purpose: a deployment sets its own
 * AUTH_SIGNING_KEY, and the services refuse to start with this one when NODE_ENV is production.
 */
export const DEV_SIGNING_KEY = "tthc-local-development-signing-key-not-for-production";
