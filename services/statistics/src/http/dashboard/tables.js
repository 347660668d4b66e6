// The tables of the view: the levels, the ranking, the procedures, the figures with links to their
// dossiers, and the dossiers with their verdicts and reasons. At 1440 px every column is in view;
// at 390 px every row is a card (style.css), each cell with its heading (data-label).
import { $, change, esc, fold, instant, levelName, num, pct, prefs, t } from "./format.js";
import { stateLabelVi } from "./labels.js";
import { figureNames, T, verdictNames } from "./text.js";
import { state, view, viewHref } from "./view.js";

export function scopeFigures() {
  if (view.procedure) {
    const row = state.procedures?.rows.find((r) => r.code === view.procedure);
    return row ? { current: row.current, previous: row.previous, name: row.name } : null;
  }
  return state.main ? state.main.total : null;
}

export const unitName = (code) =>
  state.main?.rows.find((r) => r.code === code)?.name ??
  state.allUnits?.find((r) => r.code === code)?.name ??
  code;

export function figureLink(figure, text) {
  return `<a href="${esc(viewHref({ figure }))}" data-view data-figure="${figure}">${text}</a>`;
}

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

export function renderLevels() {
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

export function renderRanking() {
  const main = state.main;
  const rows = main?.rows ?? [];
  // Inside a unit, its own units are ranked only when it has some.
  $("ranking-section").hidden = !main || (view.unit !== null && rows.length < 2);
  // The service's title in English; the same words in Vietnamese.
  $("ranking-title").textContent = !main
    ? ""
    : prefs.lang === "vi"
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

export function renderProcedures() {
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
export function renderFigures() {
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
        `<tr data-figure="${figure}"${figure === view.figure ? ' aria-current="true"' : ""}><td class="name l">${esc(figureNames[prefs.lang][figure])}</td>` +
        `<td data-label="${esc(t("dossiers"))}">${figureLink(figure, num(now))}</td>` +
        `<td data-label="${esc(t("hDelta"))}">${num(before)} ${change(now, before, { upIsGood: !["not_on_time_766", "late", "overdue"].includes(figure) })}</td></tr>`,
    )
    .join("")}</tbody>`;
}

function verdictText(d) {
  if (d.verdict) return verdictNames[prefs.lang][d.verdict] ?? d.verdict;
  if (d.overdue) return figureNames[prefs.lang].overdue;
  return "";
}

function reasonText(d) {
  if (d.verdictReason) return d.verdictReason;
  if (d.paused) return t("paused");
  if (d.finishedAt) return "";
  return d.overdue ? t("overdueSince", instant(d.dueAt)) : d.dueAt ? t("openWithin", instant(d.dueAt)) : "";
}

export function renderDossiers() {
  const on = view.figure !== null;
  $("dossiers-section").hidden = !on;
  if (!on) return;
  $("dossiers-title").textContent =
    `${t("dossiers")}: ${figureNames[prefs.lang][view.figure] ?? view.figure}`;
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
