export { type ClaimMapping, DEFAULT_CLAIM_MAPPING, parseRoleMap, staffFromClaims } from "./claims.js";
export { DEV_SIGNING_KEY } from "./dev-key.js";
export { LOCAL_ISSUER, Role, Staff, signToken } from "./token.js";
export {
  createTokenVerifier,
  KeySetUnavailable,
  type ProviderAlgorithm,
  type ProviderOptions,
  type TokenError,
  type TokenVerifier,
  type VerifierOptions,
  type VerifyResult,
} from "./verify.js";
