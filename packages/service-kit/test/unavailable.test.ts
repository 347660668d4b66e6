import { describe, expect, it } from "vitest";
import { isDependencyUnavailable } from "../src/errors.js";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("an error that only says a dependency is out of reach", () => {
  it("is a PostgreSQL shutdown, a refused or reset connection, or a lost one", () => {
    expect(
      isDependencyUnavailable(withCode("terminating connection due to administrator command", "57P01")),
    ).toBe(true);
    expect(isDependencyUnavailable(withCode("the database system is starting up", "57P03"))).toBe(true);
    expect(isDependencyUnavailable(withCode("connection failure", "08006"))).toBe(true);
    expect(isDependencyUnavailable(withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"))).toBe(
      true,
    );
    expect(isDependencyUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDependencyUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(
      isDependencyUnavailable(new Error("Client has encountered a connection error and is not queryable")),
    ).toBe(true);
    expect(isDependencyUnavailable(new Error("wrapped", { cause: withCode("reset", "ECONNRESET") }))).toBe(
      true,
    );
  });

  it("is not a query's own error nor a bug", () => {
    expect(isDependencyUnavailable(withCode("duplicate key value violates unique constraint", "23505"))).toBe(
      false,
    );
    expect(isDependencyUnavailable(withCode("value out of range for type integer", "22003"))).toBe(false);
    expect(isDependencyUnavailable(new TypeError("Cannot read properties of undefined"))).toBe(false);
    expect(isDependencyUnavailable("Connection terminated")).toBe(false);
  });
});
