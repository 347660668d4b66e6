import { describe, expect, it } from "vitest";
import { issuePath } from "../src/http.js";

describe("validation errors name the field as the client wrote it", () => {
  it("joins the path with dots and indexes with brackets, after where it was found", () => {
    expect(issuePath("/applicant/phone", "body")).toBe("body.applicant.phone");
    expect(issuePath("/items/2/code", "body")).toBe("body.items[2].code");
    expect(issuePath("/", "querystring")).toBe("querystring");
    expect(issuePath("/limit", "querystring")).toBe("querystring.limit");
  });
});
