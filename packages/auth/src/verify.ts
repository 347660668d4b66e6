import { createRemoteJWKSet, decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from "jose";
import { type ClaimMapping, staffFromClaims } from "./claims.js";
import { LOCAL_ISSUER, Staff } from "./token.js";

export type TokenError =
  | "malformed"
  | "bad_signature"
  | "expired"
  | "not_yet_valid"
  | "issued_in_future"
  | "lifetime_too_long"
  | "invalid_claims"
  | "unsupported_algorithm"
  | "unknown_key";

export type VerifyResult = { ok: true; staff: Staff } | { ok: false; error: TokenError };

/** The identity provider's key set could not be read: the token can be neither accepted nor refused. */
export class KeySetUnavailable extends Error {
  constructor(cause: unknown) {
    super("the identity provider's key set is not reachable", { cause });
    this.name = "KeySetUnavailable";
  }
}

export type ProviderAlgorithm = "RS256" | "ES256";

/** A provincial identity provider whose RS256/ES256 tokens are accepted beside the local ones. */
export interface ProviderOptions {
  /** Where its JSON Web Key Set is published; read again when a token names a key not yet seen. */
  jwksUrl: string;
  issuer: string;
  audience?: string | undefined;
  algorithms: readonly ProviderAlgorithm[];
  claims: ClaimMapping;
  /** Least time between two reads of the key set caused by unknown keys (jose's cooldown). */
  cooldownMs?: number;
  /** Age after which the key set is read again even if every key is known. */
  cacheMaxAgeMs?: number;
  timeoutMs?: number;
}

export interface VerifierOptions {
  /** HS256 key of the local tokens. */
  signingKey: string;
  /** Longest lifetime (`exp - iat`) a token may have. */
  maxLifetimeSeconds: number;
  /** Clock difference tolerated on `exp`, `nbf` and `iat`. */
  leewaySeconds: number;
  provider?: ProviderOptions | undefined;
  now?: () => number;
}

export type TokenVerifier = (token: string) => Promise<VerifyResult>;

const fail = (error: TokenError): VerifyResult => ({ ok: false, error });

function classify(err: unknown): TokenError {
  if (err instanceof errors.JWTExpired) return "expired";
  if (err instanceof errors.JWTClaimValidationFailed)
    return err.claim === "nbf" ? "not_yet_valid" : "invalid_claims";
  if (err instanceof errors.JWSSignatureVerificationFailed) return "bad_signature";
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported)
    return "unsupported_algorithm";
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys)
    return "unknown_key";
  return "malformed";
}

/** Errors of reading the key set itself (network, timeout, not a key set, not 200), not of the token. */
function isKeySetFailure(err: unknown): boolean {
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) return true;
  return !(err instanceof errors.JOSEError) || err.code === "ERR_JOSE_GENERIC";
}

/**
 * Verifies bearer tokens with jose: the local HS256 tokens (issuer `tthc`, staff claims as
 * `pnpm token` writes them) and, when a provider is configured, its RS256/ES256 tokens, whose
 * claims map to a staff member by configuration. Every token must carry `iat` and `exp`, live no
 * longer than `maxLifetimeSeconds`, not be issued in the future and be past its `nbf`, each within
 * `leewaySeconds`. Never throws for a bad token; throws `KeySetUnavailable` when the provider's
 * key set cannot be read.
 */
export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  const now = options.now ?? Date.now;
  // Imported once: importing the key on every verification would cost more than verifying.
  const localKey = crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(options.signingKey),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  // Awaited at each verification (a failure there refuses the token); never left unhandled.
  localKey.catch(() => {});
  const provider = options.provider;
  const keySet = provider
    ? createRemoteJWKSet(new URL(provider.jwksUrl), {
        cooldownDuration: provider.cooldownMs ?? 30_000,
        cacheMaxAge: provider.cacheMaxAgeMs ?? 600_000,
        timeoutDuration: provider.timeoutMs ?? 5_000,
      })
    : null;

  const common = () => ({
    clockTolerance: options.leewaySeconds,
    currentDate: new Date(now()),
    requiredClaims: ["iat", "exp"],
  });

  function lifetime(claims: JWTPayload): TokenError | null {
    const nowS = now() / 1000;
    const { iat, exp } = claims as { iat: number; exp: number };
    if (iat > nowS + options.leewaySeconds) return "issued_in_future";
    if (exp - iat > options.maxLifetimeSeconds) return "lifetime_too_long";
    return null;
  }

  return async (token) => {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      return fail("malformed");
    }
    try {
      if (alg === "HS256") {
        const { payload } = await jwtVerify(token, await localKey, {
          ...common(),
          algorithms: ["HS256"],
          issuer: LOCAL_ISSUER,
        });
        const problem = lifetime(payload);
        if (problem) return fail(problem);
        const parsed = Staff.safeParse({
          sub: payload.sub,
          unit: payload.unit,
          roles: payload.roles,
          ...(payload.name === undefined ? {} : { name: payload.name }),
        });
        return parsed.success ? { ok: true, staff: parsed.data } : fail("invalid_claims");
      }
      if (!provider || !keySet || !provider.algorithms.includes(alg as ProviderAlgorithm))
        return fail("unsupported_algorithm");
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keySet, {
          ...common(),
          algorithms: [...provider.algorithms],
          issuer: provider.issuer,
          ...(provider.audience ? { audience: provider.audience } : {}),
        }));
      } catch (err) {
        throw isKeySetFailure(err) ? new KeySetUnavailable(err) : err;
      }
      const problem = lifetime(payload);
      if (problem) return fail(problem);
      const staff = staffFromClaims(payload as Record<string, unknown>, provider.claims);
      return staff ? { ok: true, staff } : fail("invalid_claims");
    } catch (err) {
      if (err instanceof KeySetUnavailable) throw err;
      return fail(classify(err));
    }
  };
}
