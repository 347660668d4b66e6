import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DossierCodeParams, DossierIdParams, ErrorBody, errorBody, Page, PageQuery } from "../src/http.js";

describe("shared HTTP shapes", () => {
  it("the error body is { error: { code, message, details } }", () => {
    const body = errorBody("PROCESSING_TRANSITION_FORBIDDEN", "A resolved dossier cannot be transferred", {
      from: "resolved",
      action: "transfer",
    });
    expect(ErrorBody.parse(body)).toEqual(body);
    expect(errorBody("NOT_FOUND", "No such dossier")).toEqual({
      error: { code: "NOT_FOUND", message: "No such dossier" },
    });
    expect(ErrorBody.safeParse({ error: { code: "not-found", message: "x" } }).success).toBe(false);
  });

  it("the page query coerces limit from the query string and defaults it", () => {
    expect(PageQuery.parse({})).toEqual({ limit: 50 });
    expect(PageQuery.parse({ cursor: "abc", limit: "20" })).toEqual({ cursor: "abc", limit: 20 });
    expect(PageQuery.safeParse({ limit: "0" }).success).toBe(false);
    expect(PageQuery.safeParse({ limit: "501" }).success).toBe(false);
    expect(PageQuery.safeParse({ limit: "2.5" }).success).toBe(false);
  });

  it("a page is { items, nextCursor }, null on the last page", () => {
    const page = Page(z.object({ code: z.string() }));
    expect(page.parse({ items: [{ code: "a" }], nextCursor: null })).toEqual({
      items: [{ code: "a" }],
      nextCursor: null,
    });
    expect(page.safeParse({ items: [{ code: 1 }], nextCursor: null }).success).toBe(false);
  });

  it("path parameters name a dossier by id or by code", () => {
    expect(DossierIdParams.safeParse({ id: "0f8e6c1e-4b7a-4c2d-9e3f-1a2b3c4d5e6f" }).success).toBe(true);
    expect(DossierIdParams.safeParse({ id: "42" }).success).toBe(false);
    expect(DossierCodeParams.safeParse({ code: "000.00.01.H22-260210-0001" }).success).toBe(true);
    expect(DossierCodeParams.safeParse({ code: "H22-2026-1" }).success).toBe(false);
  });
});
