import { describe, expect, it } from "vitest";
import { toCsv } from "../src/csv.js";
import { snakeCase } from "../src/report.js";
import { sampleReport } from "./sample.js";

describe("CSV for machines", () => {
  it("is one header row of the JSON keys in snake_case, then the rows as the API gives them: no title, no total", () => {
    const r = sampleReport();
    const csv = toCsv(r.columns, r.rows);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const lines = csv.slice(1).split("\r\n");
    expect(lines).toEqual([
      "unit_code,unit_name,received,received_online,on_time_rate_766,progress_score,state,received_at,day,overdue",
      'H44.100,"Phường ""A"", <B> & C",2971,1234,79.03,15.81,processing,2025-09-30T17:30:00Z,2025-09-02,true',
      "H44.101,Phường số 1,2972,1234,,15.81,processing,2025-09-30T17:30:00Z,2025-09-02,false",
      "H44.102,Phường số 2,2973,1234,79.03,15.81,processing,2025-09-30T17:30:00Z,2025-09-02,false",
      "",
    ]);
  });

  it("keys: camelCase field names become snake_case, digits kept apart", () => {
    expect(snakeCase("staffId")).toBe("staff_id");
    expect(snakeCase("onTimeRate766")).toBe("on_time_rate_766");
    expect(snakeCase("acceptanceOnTime")).toBe("acceptance_on_time");
    expect(snakeCase("field")).toBe("field");
  });
});
