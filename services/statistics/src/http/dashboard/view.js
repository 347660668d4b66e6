// The view on screen (period, attribution, level, unit, procedure, figure) is the page's query
// string, so that a view is a link, the browser's back button climbs back up, and the exports take
// the same parameters. Periods come from the service's clock (GET /v1/stats/periods), never the
// browser's.

const PRESET_COMPARE = { today: "day", month: "month", quarter: "quarter", year: "year" };
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function readView(search = location.search) {
  const p = new URLSearchParams(search);
  const from = DAY.test(p.get("from") ?? "") ? p.get("from") : null;
  const to = DAY.test(p.get("to") ?? "") ? p.get("to") : null;
  const preset = PRESET_COMPARE[p.get("preset")] ? p.get("preset") : from && to ? null : "month";
  return {
    preset,
    from: preset ? null : from,
    to: preset ? null : to,
    attribution: p.get("attribution") === "receiving" ? "receiving" : "competent",
    rankBy: p.get("rankBy") === "partial" ? "partial" : "progress",
    level: p.get("level"),
    unit: p.get("unit"),
    procedure: p.get("unit") ? p.get("procedure") : null,
    figure: p.get("figure"),
  };
}

/** The view on screen: changed in place, so that every module sees the same one. */
export const view = readView();

export function viewHref(next) {
  const v = { ...view, ...next };
  const q = new URLSearchParams();
  if (v.preset) q.set("preset", v.preset);
  else {
    q.set("from", v.from);
    q.set("to", v.to);
  }
  if (v.attribution !== "competent") q.set("attribution", v.attribution);
  if (v.rankBy !== "progress") q.set("rankBy", v.rankBy);
  for (const k of ["level", "unit", "procedure", "figure"]) if (v[k]) q.set(k, v[k]);
  return `${location.pathname}?${q}`;
}

export const state = {
  periods: null,
  main: null,
  levels: null,
  procedures: null,
  series: null,
  allUnits: null,
  allUnitsKey: "",
  dossiers: null,
  cursor: null,
  dossierError: "",
  sort: { key: "rank", dir: 1 },
  showAllUnits: false,
  error: "",
};

/** The period on screen and what it is compared with. */
export function period() {
  const preset = view.preset && state.periods?.presets.find((p) => p.preset === view.preset);
  if (preset) return { from: preset.from, to: preset.to, compare: PRESET_COMPARE[view.preset] };
  return { from: view.from, to: view.to, compare: "span" };
}

/** The view's query for the API: period, attribution, and the unit (with its units) or the level. */
export function scopeQuery(extra = {}) {
  const p = period();
  const q = new URLSearchParams({ from: p.from, to: p.to, attribution: view.attribution });
  if (view.unit) q.set("unit", view.unit);
  else if (view.level) q.set("level", view.level);
  for (const [k, v] of Object.entries(extra)) if (v !== null && v !== undefined) q.set(k, String(v));
  return q;
}

function addDays(d, n) {
  return new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
const dayCount = (p) => Math.round((Date.parse(p.to) - Date.parse(p.from)) / 86_400_000) + 1;

/** The trend covers the period by day (the last 30 days for a period under a week), by month past 62 days. */
export function trendQuery() {
  const p = period();
  const days = dayCount(p);
  const from = days < 7 ? addDays(p.to, -29) : p.from;
  const q = scopeQuery({ groupBy: days > 62 ? "month" : "day" });
  q.set("from", from);
  return q;
}
