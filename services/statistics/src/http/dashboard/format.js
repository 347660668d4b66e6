// Words and numbers as the page shows them: the language, number and date formats, the change
// against the previous period, the folding that search uses.
import { levelNames, T } from "./text.js";

export const $ = (id) => document.getElementById(id);
export const esc = (s) =>
  String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

/** The page's language, kept across visits. */
export const prefs = { lang: localStorage.getItem("lang") === "en" ? "en" : "vi" };
export const t = (key, ...args) => {
  const v = T[prefs.lang][key] ?? key;
  return typeof v === "function" ? v(...args) : v;
};
export const locale = () => (prefs.lang === "vi" ? "vi-VN" : "en-US");
export const num = (v) => (v === null || v === undefined ? "–" : new Intl.NumberFormat(locale()).format(v));
export const pct = (v) => (v === null || v === undefined ? "–" : `${num(v)}%`);
const day = (d) => (d ? `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}` : "");
export const span = (p) => (p.from === p.to ? day(p.from) : `${day(p.from)} – ${day(p.to)}`);
export const instant = (iso) =>
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
export const levelName = (level) => levelNames[prefs.lang][level] ?? level;
/** Search ignores case and Vietnamese diacritics: "ban nguyen" finds "Xã Bản Nguyên". */
export const fold = (s) =>
  String(s ?? "")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase();

/** A change against the previous period: ▲/▼ and its size; green when it is the good direction. */
export function change(now, before, { unit = "", upIsGood = true } = {}) {
  if (now === null || now === undefined || before === null || before === undefined) return "";
  const d = Math.round((now - before) * 100) / 100;
  const good = d === 0 ? "" : d > 0 === upIsGood ? "up" : "down";
  const text = d === 0 ? "=" : `${d > 0 ? "▲" : "▼"} ${num(Math.abs(d))}${unit ? ` ${unit}` : ""}`;
  return `<span class="d ${good}" title="${esc(t("vsPrevious"))}">${text}</span>`;
}
