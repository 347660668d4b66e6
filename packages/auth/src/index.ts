export { DEV_SIGNING_KEY } from "./dev-key.js";
export { Role, Staff, signToken, type TokenError, verifyToken } from "./token.js";
