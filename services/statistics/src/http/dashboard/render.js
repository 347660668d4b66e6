// Drawing the view: the controls, the trail, the cards, the export links, the charts, the search;
// the tables are tables.js's.
import { barChart, emptyChart, lineChart } from "./charts.js";
import { $, change, esc, fold, levelName, num, pct, prefs, span, t } from "./format.js";
import {
  figureLink,
  renderDossiers,
  renderFigures,
  renderLevels,
  renderProcedures,
  renderRanking,
  scopeFigures,
  unitName,
} from "./tables.js";
import { figureNames } from "./text.js";
import { period, scopeQuery, state, view, viewHref } from "./view.js";

export function renderText() {
  document.documentElement.lang = prefs.lang;
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
  if (view.figure) parts.push([null, figureNames[prefs.lang][view.figure] ?? view.figure]);
  $("crumbs").innerHTML = parts
    .map(([href, text], i) =>
      i === parts.length - 1 || !href
        ? `<span data-testid="crumb">${esc(text)}</span>`
        : `<a href="${esc(href)}" data-view data-testid="crumb">${esc(text)}</a>`,
    )
    .join('<span class="sep">›</span>');
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
      figureLink("not_on_time_766", figureNames[prefs.lang].not_on_time_766),
    ) +
    card(
      "rate-finished",
      "cRateFinished",
      pct(c.onTimeRateFinished),
      `${num(c.resolvedEarly + c.resolvedOnTime)} ${t("of")} ${num(c.resolved)} ${t("resolvedWord")}`,
      change(c.onTimeRateFinished, b.onTimeRateFinished, pp),
      figureLink("late", figureNames[prefs.lang].late),
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

export function renderCharts() {
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

export function renderSearch() {
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

export function renderAll() {
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
