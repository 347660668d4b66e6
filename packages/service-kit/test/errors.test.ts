import { describe, expect, it } from "vitest";
import { AppError, defineErrors, errorBody } from "../src/errors.js";

describe("one error registry per service", () => {
  const errors = defineErrors(
    { UNKNOWN_PROCEDURE: [400, "No such procedure"], STATE_FORBIDS: [409, "The dossier's state forbids it"] },
    "INTAKE",
  );

  it("gives each error its area-prefixed code, status and message", () => {
    const err = errors.UNKNOWN_PROCEDURE({ code: "1.000000" });
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: "INTAKE_UNKNOWN_PROCEDURE",
      statusCode: 400,
      message: "No such procedure",
    });
    expect(err.details).toEqual({ code: "1.000000" });
    expect(errors.STATE_FORBIDS(undefined, "resolved dossiers cannot be transferred").message).toBe(
      "resolved dossiers cannot be transferred",
    );
  });

  it("renders as { error: { code, message, details } }, without details when there are none", () => {
    expect(errorBody("X", "m")).toEqual({ error: { code: "X", message: "m" } });
    expect(errorBody("X", "m", [{ path: "body.a" }])).toEqual({
      error: { code: "X", message: "m", details: [{ path: "body.a" }] },
    });
  });
});
