import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

export interface ProviderKey {
  kid: string;
  alg: "RS256" | "ES256";
  sign(claims: Record<string, unknown>, options?: { iat?: number; exp?: number }): Promise<string>;
  jwk: JWK;
}

/** A signing key of a test identity provider. */
export async function providerKey(kid: string, alg: "RS256" | "ES256", issuer: string): Promise<ProviderKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return {
    kid,
    alg,
    jwk,
    sign: (claims, o = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg, kid })
        .setIssuer(issuer)
        .setIssuedAt(o.iat ?? now)
        .setExpirationTime(o.exp ?? now + 3600)
        .sign(privateKey);
    },
  };
}

/** Serves a JSON Web Key Set whose keys the test changes (rotation), and counts the reads. */
export async function jwksServer(): Promise<{
  url: string;
  publish(keys: ProviderKey[]): void;
  reads(): number;
  close(): Promise<void>;
}> {
  let keys: JWK[] = [];
  let reads = 0;
  const server: Server = createServer((_req, res) => {
    reads++;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    publish: (list) => {
      keys = list.map((k) => k.jwk);
    },
    reads: () => reads,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
