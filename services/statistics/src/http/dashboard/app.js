// The dashboard: reads the figure routes and the breakdown, draws them, and follows the SSE stream.
// The view on screen (period, attribution, level, unit, procedure, figure) is the page's query
// string, so that a view is a link, the browser's back button climbs back up, and the exports take
// the same parameters. Periods come from the service's clock (GET /v1/stats/periods), never the
// browser's.
import { barChart, emptyChart, lineChart } from "./charts.js";
import { stateLabelVi } from "./labels.js";
import { figureNames, levelNames, T, verdictNames } from "./text.js";

const $ = (id) => document.getElementById(id);
const esc = (s) =>
  String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

let lang = localStorage.getItem("lang") === "en" ? "en" : "vi";
const t = (key, ...args) => {
  const v = T[lang][key] ?? key;
  return typeof v === "function" ? v(...args) : v;
};
const locale = () => (lang === "vi" ? "vi-VN" : "en-US");
const num = (v) => (v === null || v === undefined ? "–" : new Intl.NumberFormat(locale()).format(v));
const pct = (v) => (v === null || v === undefined ? "–" : `${num(v)}%`);
const day = (d) => (d ? `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}` : "");
const span = (p) => (p.from === p.to ? day(p.from) : `${day(p.from)} – ${day(p.to)}`);
const instant = (iso) =>
  iso
    ? new Intl.DateTimeFormat("vi-VN", {
        timeZone: "Asia/Ho_Chi_Minh",
        day: "2-digit",
        month: "2-digit",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        hour12: false,
      }).format(new Date(iso))
    : "";
const levelName = (level) => levelNames[lang][level] ?? level;
/** Search ignores case and Vietnamese diacritics: "ban nguyen" finds "Xã Bản Nguyên". */
const fold = (s) =>
  String(s ?? "")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase();

/** A change against the previous period: ▲/▼ and its size; green when it is the good direction. */
function change(now, before, { unit = "", upIsGood = true } = {}) {
  if (now === null || now === undefined || before === null || before === undefined) return "";
  const d = Math.round((now - before) * 100) / 100;
  const good = d === 0 ? "" : d > 0 === upIsGood ? "up" : "down";
  const text = d === 0 ? "=" : `${d > 0 ? "▲" : "▼"} ${num(Math.abs(d))}${unit ? ` ${unit}` : ""}`;
  return `<span class="d ${good}" title="${esc(t("vsPrevious"))}">${text}</span>`;
}

// ---- the view ----------------------------------------------------------------------------------

const PRESET_COMPARE = { today: "day", month: "month", quarter: "quarter", year: "year" };
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function readView(search = location.search) {
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

let view = readView();

function viewHref(next) {
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

function go(next) {
  view = { ...view, ...next };
  state.dossiers = null;
  state.cursor = null;
  history.pushState(null, "", viewHref({}));
  load();
}

const state = {
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
function period() {
  const preset = view.preset && state.periods?.presets.find((p) => p.preset === view.preset);
  if (preset) return { from: preset.from, to: preset.to, compare: PRESET_COMPARE[view.preset] };
  return { from: view.from, to: view.to, compare: "span" };
}

/** The view's query for the API: period, attribution, and the unit (with its units) or the level. */
function scopeQuery(extra = {}) {
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
function trendQuery() {
  const p = period();
  const days = dayCount(p);
  const from = days < 7 ? addDays(p.to, -29) : p.from;
  const q = scopeQuery({ groupBy: days > 62 ? "month" : "day" });
  q.set("from", from);
  return q;
}

// ---- loading -----------------------------------------------------------------------------------

async function get(path) {
  const r = await fetch(path);
  if (!r.ok) {
    const body = await r.json().catch(() => null);
    throw new Error(body?.error?.message ?? `${path}: ${r.status}`);
  }
  return r.json();
}

const token = () => sessionStorage.getItem("token");

async function loadDossiers(reset) {
  state.dossierError = "";
  if (!view.figure) {
    state.dossiers = null;
    return;
  }
  if (!token()) {
    state.dossiers = null;
    return;
  }
  const shown = state.dossiers?.length ?? 0;
  const q = scopeQuery({
    figure: view.figure,
    procedure: view.procedure,
    limit: reset ? Math.min(5000, Math.max(50, shown)) : 50,
  });
  if (!reset && state.cursor) q.set("cursor", state.cursor);
  const r = await fetch(`/v1/stats/dossiers?${q}`, { headers: { authorization: `Bearer ${token()}` } });
  if (r.status === 401) {
    sessionStorage.removeItem("token");
    state.dossiers = null;
    return;
  }
  if (r.status === 403) {
    state.dossiers = [];
    state.cursor = null;
    state.dossierError = t("forbidden");
    return;
  }
  if (!r.ok) throw new Error(`/v1/stats/dossiers: ${r.status}`);
  const body = await r.json();
  state.dossiers = reset ? body.items : [...(state.dossiers ?? []), ...body.items];
  state.cursor = body.nextCursor;
}

/** Every unit, for the search: the province's ranking of the period on screen, fetched once per period. */
async function ensureAllUnits() {
  const p = period();
  const key = `${p.from}/${p.to}/${view.attribution}`;
  if (state.allUnits && state.allUnitsKey === key) return;
  const q = new URLSearchParams({ from: p.from, to: p.to, attribution: view.attribution, by: "unit" });
  const body = await get(`/v1/stats/breakdown?${q}&limit=5000`);
  state.allUnits = body.rows;
  state.allUnitsKey = key;
}

let loading = null;
let again = false;

/** One load at a time; one asked for meanwhile (a live update, a click) runs after it. */
function load() {
  if (loading) {
    again = true;
    return loading;
  }
  loading = (async () => {
    try {
      state.periods = await get("/v1/stats/periods");
      if (!view.preset && !(view.from && view.to)) view.preset = "month";
      const p = period();
      const common = { compare: p.compare, rankBy: view.rankBy };
      // The trend takes longest (a sum per day or month): the rest is drawn without waiting for it.
      const trend = get(`/v1/stats/summary?${trendQuery()}`);
      trend.catch(() => {});
      const [main, levels, procedures] = await Promise.all([
        get(`/v1/stats/breakdown?${scopeQuery({ ...common, by: "unit", limit: 5000 })}`),
        !view.unit && !view.level
          ? get(`/v1/stats/breakdown?${scopeQuery({ ...common, by: "level" })}`)
          : null,
        view.unit
          ? get(`/v1/stats/breakdown?${scopeQuery({ ...common, by: "procedure", limit: 500 })}`)
          : null,
      ]);
      Object.assign(state, { main, levels, procedures, error: "" });
      if (!view.unit && !view.level) {
        state.allUnits = main.rows;
        state.allUnitsKey = `${p.from}/${p.to}/${view.attribution}`;
      }
      // Again from the first, as many as were shown: a live update keeps the list's length.
      await loadDossiers(true);
      renderAll();
      state.series = (await trend).series ?? [];
      renderCharts();
    } catch (err) {
      state.error = err.message;
      renderAll();
    }
  })().finally(() => {
    loading = null;
    if (again) {
      again = false;
      load();
    }
  });
  return loading;
}

// ---- rendering ---------------------------------------------------------------------------------

function renderText() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  $("lang").textContent = t("lang");
  $("search").placeholder = t("search");
  $("search").setAttribute("aria-label", t("search"));
}

function renderControls() {
  for (const b of $("presets").querySelectorAll("button"))
    b.setAttribute("aria-pressed", String(b.dataset.preset === view.preset));
  const p = period();
  if (p.from) $("from").value = p.from;
  if (p.to) $("to").value = p.to;
  $("attribution").value = view.attribution;
  $("rank-by").value = view.rankBy;
  const main = state.main;
  $("period-line").textContent = state.error
    ? state.error
    : main
      ? t("periodLine", span(main.period), span(main.previous))
      : "";
  $("period-line").className = state.error ? "bad" : "muted";
}

/** The current scope's figures: the procedure's row, or the scope's total. */
function scopeFigures() {
  if (view.procedure) {
    const row = state.procedures?.rows.find((r) => r.code === view.procedure);
    return row ? { current: row.current, previous: row.previous, name: row.name } : null;
  }
  return state.main ? state.main.total : null;
}

const unitName = (code) =>
  state.main?.rows.find((r) => r.code === code)?.name ??
  state.allUnits?.find((r) => r.code === code)?.name ??
  code;

function renderCrumbs() {
  const parts = [
    [
      viewHref({ level: null, unit: null, procedure: null, figure: null }),
      state.main?.province?.name ?? t("province"),
    ],
  ];
  const level = view.level ?? (view.unit ? state.main?.rows.find((r) => r.code === view.unit)?.level : null);
  if (level) parts.push([viewHref({ level, unit: null, procedure: null, figure: null }), levelName(level)]);
  if (view.unit) parts.push([viewHref({ procedure: null, figure: null }), unitName(view.unit)]);
  if (view.procedure) parts.push([viewHref({ figure: null }), scopeFigures()?.name ?? view.procedure]);
  if (view.figure) parts.push([null, figureNames[lang][view.figure] ?? view.figure]);
  $("crumbs").innerHTML = parts
    .map(([href, text], i) =>
      i === parts.length - 1 || !href
        ? `<span data-testid="crumb">${esc(text)}</span>`
        : `<a href="${esc(href)}" data-view data-testid="crumb">${esc(text)}</a>`,
    )
    .join('<span class="sep">›</span>');
}

function figureLink(figure, text) {
  return `<a href="${esc(viewHref({ figure }))}" data-view data-figure="${figure}">${text}</a>`;
}

function card(id, key, value, sub, delta, link = "") {
  return `<div class="card" data-testid="${id}"><div class="k">${esc(t(key))}</div><div class="v">${value}</div><div class="s">${sub}</div><div class="delta">${delta}</div>${link ? `<div class="link">${link}</div>` : ""}</div>`;
}

function renderCards() {
  const f = scopeFigures();
  if (!f) {
    $("cards").innerHTML = "";
    return;
  }
  const c = f.current;
  const b = f.previous;
  const pp = { unit: t("pp") };
  const see = t("seeDossiers");
  $("cards").innerHTML =
    card(
      "received",
      "cReceived",
      num(c.received),
      `${t("hOnline")} ${num(c.receivedOnline)}`,
      change(c.received, b.received),
      figureLink("received", see),
    ) +
    card(
      "rate-766",
      "cRate766",
      pct(c.onTimeRate766),
      `${num(c.onTime766)} ${t("of")} ${num(c.handled)} ${t("handledWord")} · ${num(c.progressScore)} ${t("points")}`,
      change(c.onTimeRate766, b.onTimeRate766, pp),
      figureLink("not_on_time_766", figureNames[lang].not_on_time_766),
    ) +
    card(
      "rate-finished",
      "cRateFinished",
      pct(c.onTimeRateFinished),
      `${num(c.resolvedEarly + c.resolvedOnTime)} ${t("of")} ${num(c.resolved)} ${t("resolvedWord")}`,
      change(c.onTimeRateFinished, b.onTimeRateFinished, pp),
      figureLink("late", figureNames[lang].late),
    ) +
    card(
      "online-rate",
      "cOnline",
      pct(c.onlineRate),
      `${num(c.receivedOnline)} ${t("of")} ${num(c.received)} ${t("receivedWord")}`,
      change(c.onlineRate, b.onlineRate, pp),
    ) +
    card(
      "open",
      "cOpen",
      num(c.open),
      "",
      change(c.open, b.open, { upIsGood: false }),
      figureLink("open", see),
    ) +
    card(
      "overdue",
      "cOverdue",
      num(c.openOverdue),
      "",
      change(c.openOverdue, b.openOverdue, { upIsGood: false }),
      figureLink("overdue", see),
    );
}

function renderExports() {
  const q = scopeQuery();
  const dq = scopeQuery({ figure: view.figure ?? "handled", procedure: view.procedure });
  const kinds = [
    ["units", "exUnits", q, false],
    ["ranking", "exRanking", q, false],
    ["procedures", "exProcedures", q, false],
    ["dossiers", "exDossiers", dq, true],
  ];
  $("export-links").innerHTML = kinds
    .map(
      ([path, key, query, staff]) =>
        `<span><span class="kind">${esc(t(key))}</span>${["xlsx", "csv"]
          .map(
            (ext) =>
              `<a href="/v1/stats/${path}.${ext}?${esc(query)}" download="thong-ke-${path}.${ext}" data-testid="export-${path}-${ext}"${staff ? " data-auth" : ""}>${ext.toUpperCase()}</a>`,
          )
          .join("")}${staff ? ` <span class="muted">(${esc(t("staffOnly"))})</span>` : ""}</span>`,
    )
    .join("");
}

/** A rate with its counts and its change: "85,71%", "6/7", "▲ 2 pp". */
function rateCell(label, rate, n, d, before, extra = "") {
  return `<td data-label="${esc(label)}"${extra}><span>${pct(rate)}<span class="n">${num(n)}/${num(d)}</span>${change(rate, before, { unit: t("pp") })}</span></td>`;
}

function figureCells(c, b) {
  return (
    rateCell(t("hRate766"), c.onTimeRate766, c.onTime766, c.handled, b.onTimeRate766, ' data-col="rate766"') +
    rateCell(
      t("hRateFinished"),
      c.onTimeRateFinished,
      c.resolvedEarly + c.resolvedOnTime,
      c.resolved,
      b.onTimeRateFinished,
    ) +
    rateCell(t("hOnline"), c.onlineRate, c.receivedOnline, c.received, b.onlineRate)
  );
}

function head(cols, sortable) {
  return `<thead><tr>${cols
    .map(([key, label, left]) => {
      const sort =
        sortable && state.sort.key === key
          ? ` aria-sort="${state.sort.dir > 0 ? "ascending" : "descending"}"`
          : "";
      return `<th data-key="${key}"${left ? ' class="l"' : ""}${sort}>${esc(label)}</th>`;
    })
    .join("")}</tr></thead>`;
}

function renderLevels() {
  const rows = state.levels?.rows ?? [];
  $("levels-section").hidden = !(state.levels && !view.unit && !view.level);
  const cols = [
    ["level", t("hLevel"), true],
    ["units", t("hUnits")],
    ["received", t("hReceived")],
    ["rate766", t("hRate766")],
    ["rateFinished", t("hRateFinished")],
    ["online", t("hOnline")],
    ["score", t("hScore")],
    ["overdue", t("hOverdue")],
  ];
  $("levels").innerHTML =
    head(cols, false) +
    `<tbody>${rows
      .map(
        (r) =>
          `<tr data-code="${esc(r.code)}"><td class="name l"><a href="${esc(viewHref({ level: r.code, unit: null, procedure: null, figure: null }))}" data-view>${esc(levelName(r.code))}</a></td>` +
          `<td data-label="${esc(t("hUnits"))}">${num(r.units)}</td>` +
          `<td data-label="${esc(t("hReceived"))}">${num(r.current.received)}${change(r.current.received, r.previous.received)}</td>` +
          figureCells(r.current, r.previous) +
          `<td data-label="${esc(t("hScore"))}">${num(r.current.progressScore)}</td>` +
          `<td data-label="${esc(t("hOverdue"))}">${num(r.current.openOverdue)}</td></tr>`,
      )
      .join("")}</tbody>`;
}

const RANKING_FIRST = 25;
const scoreOf = (r) => (view.rankBy === "partial" ? r.current.partialScore : r.current.progressScore);
const scoreBefore = (r) => (view.rankBy === "partial" ? r.previous.partialScore : r.previous.progressScore);
const sortValues = {
  rank: (r) => r.rank ?? Number.POSITIVE_INFINITY,
  name: (r) => r.name ?? r.code,
  score: (r) => -(scoreOf(r) ?? -1),
  rate766: (r) => -(r.current.onTimeRate766 ?? -1),
  rateFinished: (r) => -(r.current.onTimeRateFinished ?? -1),
  online: (r) => -(r.current.onlineRate ?? -1),
  late: (r) => -r.current.late,
  overdue: (r) => -r.current.openOverdue,
  previousRank: (r) => r.previousRank ?? Number.POSITIVE_INFINITY,
};

function renderRanking() {
  const main = state.main;
  const rows = main?.rows ?? [];
  // Inside a unit, its own units are ranked only when it has some.
  $("ranking-section").hidden = !main || (view.unit !== null && rows.length < 2);
  // The service's title in English; the same words in Vietnamese.
  $("ranking-title").textContent = !main
    ? ""
    : lang === "vi"
      ? T.vi.rankingTitle(main.rankBy, main.maxScore)
      : main.rankingTitle;
  const { key, dir } = state.sort;
  const value = sortValues[key] ?? sortValues.rank;
  const sorted = [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    return (typeof x === "string" ? x.localeCompare(y, "vi") : x - y) * dir || a.code.localeCompare(b.code);
  });
  const scoreLabel = view.rankBy === "partial" ? t("hScorePartial") : t("hScore");
  const cols = [
    ["rank", t("hRank")],
    ["name", t("hUnit"), true],
    ["score", scoreLabel],
    ["rate766", t("hRate766")],
    ["rateFinished", t("hRateFinished")],
    ["online", t("hOnline")],
    ["late", t("hLate")],
    ["overdue", t("hOverdue")],
    ["previousRank", t("hPrevRank")],
  ];
  const q = fold($("search").value.trim());
  // The first rows only, unless asked for all or searching: 160 units make a long page.
  const first = q || state.showAllUnits ? Number.POSITIVE_INFINITY : RANKING_FIRST;
  $("all-units").hidden = q !== "" || rows.length <= RANKING_FIRST;
  $("all-units").textContent = state.showAllUnits
    ? t("fewerUnits", RANKING_FIRST)
    : t("allUnits", rows.length);
  $("ranking").innerHTML =
    head(cols, true) +
    `<tbody>${sorted
      .map((r, i) => {
        const match = (!q || fold(r.name).includes(q) || fold(r.code).includes(q)) && i < first;
        const moved =
          r.rank !== null && r.previousRank !== null
            ? change(r.previousRank, r.rank, { upIsGood: true }).replace(/title="[^"]*"/, "")
            : "";
        const rate = r.current.onTimeRate766;
        const target = main.target?.onTimeRate766 ?? null;
        const cls = rate === null || target === null ? "" : rate < target ? ' class="bad"' : ' class="ok"';
        return (
          `<tr data-code="${esc(r.code)}"${match ? "" : ' class="hidden"'}>` +
          `<td data-label="${esc(t("hRank"))}" data-col="rank">${r.rank === null ? `<span class="muted">${esc(t("notRanked"))}</span>` : num(r.rank)}</td>` +
          `<td class="name l"><a href="${esc(viewHref({ unit: r.code, level: null, procedure: null, figure: null }))}" data-view>${esc(r.name ?? r.code)}</a><span class="n">${esc(r.code)} · ${esc(levelName(r.level))}</span></td>` +
          `<td data-label="${esc(scoreLabel)}" data-col="score">${num(scoreOf(r))}${change(scoreOf(r), scoreBefore(r))}</td>` +
          figureCells(r.current, r.previous).replace(' data-col="rate766"', ` data-col="rate766"${cls}`) +
          `<td data-label="${esc(t("hLate"))}">${num(r.current.late)}</td>` +
          `<td data-label="${esc(t("hOverdue"))}"${r.current.openOverdue > 0 ? ' class="bad"' : ""}>${num(r.current.openOverdue)}</td>` +
          `<td data-label="${esc(t("hPrevRank"))}">${num(r.previousRank)} ${moved}</td></tr>`
        );
      })
      .join("")}</tbody>`;
}

function renderProcedures() {
  const rows = state.procedures?.rows ?? [];
  $("procedures-section").hidden = !view.unit || view.procedure !== null || !state.procedures;
  const cols = [
    ["name", t("hProcedure"), true],
    ["field", t("hField"), true],
    ["received", t("hReceived")],
    ["handled", t("hHandled")],
    ["rate766", t("hRate766")],
    ["rateFinished", t("hRateFinished")],
    ["online", t("hOnline")],
    ["late", t("hLate")],
    ["overdue", t("hOverdue")],
  ];
  $("procedures").innerHTML =
    head(cols, false) +
    `<tbody>${
      rows.length === 0
        ? `<tr><td class="name l">${esc(t("noData"))}</td></tr>`
        : rows
            .map(
              (r) =>
                `<tr data-code="${esc(r.code)}"><td class="name l"><a href="${esc(viewHref({ procedure: r.code, figure: null }))}" data-view>${esc(r.name)}</a><span class="n">${esc(r.code)}</span></td>` +
                `<td class="wrap l" data-label="${esc(t("hField"))}">${esc(r.field ?? "")}</td>` +
                `<td data-label="${esc(t("hReceived"))}">${num(r.current.received)}</td>` +
                `<td data-label="${esc(t("hHandled"))}">${num(r.current.handled)}</td>` +
                figureCells(r.current, r.previous) +
                `<td data-label="${esc(t("hLate"))}">${num(r.current.late)}</td>` +
                `<td data-label="${esc(t("hOverdue"))}"${r.current.openOverdue > 0 ? ' class="bad"' : ""}>${num(r.current.openOverdue)}</td></tr>`,
            )
            .join("")
    }</tbody>`;
}

/** Every figure of the scope with its count, each a link to the dossiers behind it. */
function renderFigures() {
  const f = scopeFigures();
  $("figures-section").hidden = !f || !view.unit;
  if (!f) return;
  const c = f.current;
  const b = f.previous;
  const counts = [
    ["received", c.received, b.received],
    ["handled", c.handled, b.handled],
    ["not_on_time_766", c.handled - c.onTime766, b.handled - b.onTime766],
    ["resolved", c.resolved, b.resolved],
    ["early", c.early, b.early],
    ["on_time", c.onTime, b.onTime],
    ["late", c.late, b.late],
    ["open", c.open, b.open],
    ["overdue", c.openOverdue, b.openOverdue],
  ];
  $("figures").innerHTML = `<tbody>${counts
    .map(
      ([figure, now, before]) =>
        `<tr data-figure="${figure}"${figure === view.figure ? ' aria-current="true"' : ""}><td class="name l">${esc(figureNames[lang][figure])}</td>` +
        `<td data-label="${esc(t("dossiers"))}">${figureLink(figure, num(now))}</td>` +
        `<td data-label="${esc(t("hDelta"))}">${num(before)} ${change(now, before, { upIsGood: !["not_on_time_766", "late", "overdue"].includes(figure) })}</td></tr>`,
    )
    .join("")}</tbody>`;
}

function verdictText(d) {
  if (d.verdict) return verdictNames[lang][d.verdict] ?? d.verdict;
  if (d.overdue) return figureNames[lang].overdue;
  return "";
}

function reasonText(d) {
  if (d.verdictReason) return d.verdictReason;
  if (d.paused) return t("paused");
  if (d.finishedAt) return "";
  return d.overdue ? t("overdueSince", instant(d.dueAt)) : d.dueAt ? t("openWithin", instant(d.dueAt)) : "";
}

function renderDossiers() {
  const on = view.figure !== null;
  $("dossiers-section").hidden = !on;
  if (!on) return;
  $("dossiers-title").textContent = `${t("dossiers")}: ${figureNames[lang][view.figure] ?? view.figure}`;
  $("signin").hidden = state.dossiers !== null;
  $("dossiers-error").hidden = !state.dossierError;
  $("dossiers-error").textContent = state.dossierError;
  const list = state.dossiers ?? [];
  $("more").hidden = !state.cursor;
  $("dossiers-count").textContent =
    state.dossiers === null ? "" : list.length === 0 ? t("noDossier") : t("shown", list.length);
  const cols = [
    ["code", t("hCode"), true],
    ["procedure", t("hProcedure"), true],
    ["unit", t("hUnit"), true],
    ["receivedAt", t("hReceivedAt")],
    ["dueAt", t("hDueAt")],
    ["finishedAt", t("hFinishedAt")],
    ["state", t("hState"), true],
    ["verdict", t("hVerdict"), true],
    ["reason", t("hReason"), true],
    ["fault", t("hAtFault"), true],
  ];
  const unitOf = (d) => (view.attribution === "receiving" ? d.receivingUnitCode : d.competentUnitCode);
  $("dossiers").innerHTML = list.length
    ? head(cols, false) +
      `<tbody>${list
        .map(
          (d) =>
            `<tr data-dossier="${esc(d.dossierCode)}"><td class="l" data-label="${esc(t("hCode"))}">${esc(d.dossierCode)}</td>` +
            `<td class="name l">${esc(d.procedureName)}</td>` +
            `<td class="wrap l" data-label="${esc(t("hUnit"))}">${esc(unitName(unitOf(d)))}</td>` +
            `<td data-label="${esc(t("hReceivedAt"))}">${esc(instant(d.receivedAt))}</td>` +
            `<td data-label="${esc(t("hDueAt"))}">${esc(instant(d.dueAt))}</td>` +
            `<td data-label="${esc(t("hFinishedAt"))}">${esc(instant(d.finishedAt))}</td>` +
            `<td class="wrap l" data-label="${esc(t("hState"))}">${esc(stateLabelVi[d.state] ?? d.state ?? "")}</td>` +
            `<td class="l${d.verdict === "late" || (!d.verdict && d.overdue) ? " bad" : ""}" data-label="${esc(t("hVerdict"))}" data-col="verdict">${esc(verdictText(d))}</td>` +
            `<td class="reason wrap l" data-label="${esc(t("hReason"))}" data-col="reason">${esc(reasonText(d))}</td>` +
            `<td class="wrap l" data-label="${esc(t("hAtFault"))}">${esc(d.unitAtFaultCode ? unitName(d.unitAtFaultCode) : "")}</td></tr>`,
        )
        .join("")}</tbody>`
    : "";
}

function renderCharts() {
  const main = state.main;
  const ranked = (main?.rows ?? []).filter((r) => r.rank !== null);
  const showCompare = main && !view.procedure && ranked.length > 1;
  $("compare-box").hidden = !showCompare;
  if (showCompare) {
    const m = 10;
    const items = ranked.length > 2 * m ? [...ranked.slice(0, m), ...ranked.slice(-m)] : ranked;
    $("compare-note").textContent = t("compareNote", ranked.length, m);
    const target = main.target?.onTimeRate766 ?? null;
    barChart(
      $("chart-compare"),
      items.map((r) => ({
        code: r.code,
        label: `${r.rank}. ${r.name ?? r.code}`,
        value: r.current.onTimeRate766,
        note: `${num(r.current.onTime766)}/${num(r.current.handled)}`,
      })),
      { target, targetLabel: target === null ? "" : `${t("target")} ${pct(target)}`, format: pct },
    );
  }
  const series = (state.series ?? []).map((p) => ({
    label: p.label,
    short:
      p.label.length === 7
        ? `${p.label.slice(5, 7)}/${p.label.slice(0, 4)}`
        : `${p.label.slice(8, 10)}/${p.label.slice(5, 7)}`,
    rate: p.figures.onTimeRate766,
    online: p.figures.onlineRate,
  }));
  const target = main?.target ?? null;
  $("trend-note").textContent = target
    ? [
        target.onTimeRate766 !== null ? `${t("target")} ${t("hRate766")}: ${pct(target.onTimeRate766)}` : "",
        target.onlineRate !== null ? `${t("target")} ${t("hOnline")}: ${pct(target.onlineRate)}` : "",
      ]
        .filter(Boolean)
        .join(" · ")
    : t("noTarget");
  if (state.series === null) emptyChart($("chart-trend"), t("loading"));
  else if (series.length === 0) emptyChart($("chart-trend"), t("noData"));
  else
    lineChart(
      $("chart-trend"),
      series,
      [
        { name: t("hRate766"), color: "#1b7f4b", pick: (p) => p.rate },
        { name: t("hOnline"), color: "#1f5fa8", pick: (p) => p.online },
      ],
      [
        {
          key: "rate766",
          value: target?.onTimeRate766,
          color: "#1b7f4b",
          name: `${t("target")} ${pct(target?.onTimeRate766)}`,
        },
        {
          key: "online",
          value: target?.onlineRate,
          color: "#1f5fa8",
          name: `${t("target")} ${pct(target?.onlineRate)}`,
        },
      ],
    );
}

function renderSearch() {
  const q = fold($("search").value.trim());
  const box = $("search-results");
  if (!q || !state.allUnits || document.activeElement !== $("search")) {
    box.hidden = true;
    return;
  }
  const hits = state.allUnits
    .filter((u) => fold(u.name).includes(q) || fold(u.code).includes(q))
    .slice(0, 12);
  box.innerHTML = hits.length
    ? hits
        .map(
          (u) =>
            `<li><a href="${esc(viewHref({ unit: u.code, level: null, procedure: null, figure: null }))}" data-view data-code="${esc(u.code)}">${esc(u.name)} <span class="muted">${esc(u.code)} · ${esc(levelName(u.level))}</span></a></li>`,
        )
        .join("")
    : `<li><span class="muted">${esc(t("noMatch"))}</span></li>`;
  box.hidden = false;
}

function renderAll() {
  renderText();
  renderControls();
  renderCrumbs();
  renderCards();
  renderExports();
  renderLevels();
  renderRanking();
  renderProcedures();
  renderFigures();
  renderDossiers();
  renderCharts();
}

// ---- events ------------------------------------------------------------------------------------

document.addEventListener("click", (e) => {
  const a = e.target.closest("a");
  if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
  if (a.hasAttribute("data-view")) {
    e.preventDefault();
    $("search-results").hidden = true;
    view = readView(new URL(a.href).search);
    history.pushState(null, "", a.href);
    state.dossiers = null;
    state.cursor = null;
    load();
  } else if (a.hasAttribute("data-auth")) {
    e.preventDefault();
    downloadWithToken(a);
  }
});

/** The staff-only exports need the token in a header, which a plain link cannot send. */
async function downloadWithToken(a) {
  if (!token()) {
    go({ figure: view.figure ?? "handled" });
    return;
  }
  const r = await fetch(a.href, { headers: { authorization: `Bearer ${token()}` } });
  if (!r.ok) {
    state.dossierError = r.status === 403 ? t("forbidden") : `${r.status}`;
    renderDossiers();
    return;
  }
  const url = URL.createObjectURL(await r.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = a.getAttribute("download") ?? "thong-ke";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

window.addEventListener("popstate", () => {
  view = readView();
  state.dossiers = null;
  load();
});
$("presets").addEventListener("click", (e) => {
  const b = e.target.closest("button[data-preset]");
  if (b) go({ preset: b.dataset.preset, from: null, to: null });
});
$("range").addEventListener("submit", (e) => {
  e.preventDefault();
  const from = $("from").value;
  const to = $("to").value;
  if (from && to) go({ preset: null, from, to });
});
$("attribution").addEventListener("change", () => {
  go({ attribution: $("attribution").value });
  listen();
});
$("all-units").addEventListener("click", () => {
  state.showAllUnits = !state.showAllUnits;
  renderRanking();
});
$("rank-by").addEventListener("change", () => go({ rankBy: $("rank-by").value }));
$("ranking").addEventListener("click", (e) => {
  const key = e.target.closest("th")?.dataset.key;
  if (!key) return;
  state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : 1 };
  renderRanking();
});
$("search").addEventListener("input", async () => {
  renderRanking();
  try {
    await ensureAllUnits();
  } catch {
    return;
  }
  renderSearch();
});
$("search").addEventListener("focus", renderSearch);
$("search").addEventListener("blur", () => setTimeout(() => ($("search-results").hidden = true), 200));
$("search").addEventListener("keydown", (e) => {
  if (e.key !== "Enter") return;
  const first = $("search-results").querySelector("a");
  if (first) first.click();
});
$("signin").addEventListener("submit", (e) => {
  e.preventDefault();
  const v = $("token").value.trim();
  if (v) sessionStorage.setItem("token", v);
  $("token").value = "";
  load();
});
$("more").addEventListener("click", async () => {
  await loadDossiers(false);
  renderDossiers();
});
$("lang").addEventListener("click", () => {
  lang = lang === "vi" ? "en" : "vi";
  localStorage.setItem("lang", lang);
  renderAll();
});
let resized = null;
window.addEventListener("resize", () => {
  clearTimeout(resized);
  resized = setTimeout(renderCharts, 150);
});

// ---- live --------------------------------------------------------------------------------------

let stream = null;
let pending = null;
function listen() {
  stream?.close();
  stream = new EventSource(`/v1/stats/stream?attribution=${view.attribution}`);
  stream.addEventListener("figures", (e) => {
    const at = JSON.parse(e.data).at;
    $("live").className = "on";
    $("live").textContent =
      `${t("live")} ${new Date(at).toLocaleTimeString(locale(), { timeZone: "Asia/Ho_Chi_Minh" })}`;
    clearTimeout(pending);
    pending = setTimeout(load, 100);
  });
  stream.onerror = () => {
    $("live").className = "";
  };
}

renderText();
load();
listen();
