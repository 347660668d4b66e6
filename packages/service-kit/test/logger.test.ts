import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, stream };
}

describe("logs never carry an applicant's personal data or credentials", () => {
  it("redacts the applicant, identity number, phone, address and the authorization header", () => {
    const { lines, stream } = capture();
    const log = createLogger("intake", "info", {}, stream);
    log.info(
      {
        dossier: {
          code: "H44.100-261123-0001",
          applicant: { name: "Nguyễn Văn A", identityNumber: "025090000001" },
        },
        contact: { phone: "0912345678", address: "Việt Trì" },
        req: { headers: { authorization: "Bearer secret" } },
      },
      "received",
    );
    const text = JSON.stringify(lines[0]);
    expect(text).toContain("H44.100-261123-0001");
    for (const secret of ["Nguyễn Văn A", "025090000001", "0912345678", "Việt Trì", "Bearer secret"]) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({ service: "intake", msg: "received" });
  });
});
