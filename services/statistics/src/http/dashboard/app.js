// The dashboard: reads the figure routes and the breakdown, draws them (render.js), and follows
// the SSE stream. The view is view.js's; the words and formats format.js's.
import { $, locale, prefs, t } from "./format.js";
import { renderAll, renderCharts, renderSearch, renderText } from "./render.js";
import { renderDossiers, renderRanking } from "./tables.js";
import { period, readView, scopeQuery, state, trendQuery, view, viewHref } from "./view.js";

function go(next) {
  Object.assign(view, next);
  state.dossiers = null;
  state.cursor = null;
  history.pushState(null, "", viewHref({}));
  load();
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
  // While a view loads, the page says so (`data-loading` on <body>): a reader, a test among them,
  // knows when what it shows belongs to the view in the address bar.
  document.body.dataset.loading = "true";
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
    } else delete document.body.dataset.loading;
  });
  return loading;
}

// ---- events ------------------------------------------------------------------------------------

document.addEventListener("click", (e) => {
  const a = e.target.closest("a");
  if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
  if (a.hasAttribute("data-view")) {
    e.preventDefault();
    $("search-results").hidden = true;
    Object.assign(view, readView(new URL(a.href).search));
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
  Object.assign(view, readView());
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
  prefs.lang = prefs.lang === "vi" ? "en" : "vi";
  localStorage.setItem("lang", prefs.lang);
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
