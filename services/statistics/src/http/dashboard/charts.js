// Inline SVG charts drawn at the element's own width in pixels, so that text keeps its size on a phone.

const esc = (s) =>
  String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

function size(svg, height) {
  const width = Math.max(200, Math.floor(svg.parentElement?.clientWidth || 600));
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  return width;
}

function clip(text, chars) {
  return text.length > chars ? `${text.slice(0, chars - 1)}…` : text;
}

/**
 * Horizontal bars, one per item (`label`, `value` in %, `note`), 0 to 100 %, with a vertical
 * dashed target line when `target` is a number.
 */
export function barChart(svg, items, { target = null, targetLabel = "", format = String } = {}) {
  const row = 22;
  const top = target === null ? 8 : 22;
  const height = top + items.length * row + 22;
  const width = size(svg, height);
  const labelWidth = Math.min(220, Math.floor(width * 0.42));
  const right = 58;
  const plot = width - labelWidth - right;
  const x = (v) => labelWidth + (Math.max(0, Math.min(100, v)) / 100) * plot;
  const chars = Math.max(8, Math.floor(labelWidth / 6.6));
  let s = "";
  for (const v of [0, 25, 50, 75, 100])
    s += `<line x1="${x(v)}" x2="${x(v)}" y1="${top - 4}" y2="${height - 18}" stroke="#e4e8ee"/><text x="${x(v)}" y="${height - 6}" font-size="11" text-anchor="middle" fill="#5d6b7a">${v}%</text>`;
  items.forEach((it, i) => {
    const y = top + i * row;
    s += `<g data-code="${esc(it.code)}"><title>${esc(it.label)}: ${esc(it.value === null ? "–" : format(it.value))}${it.note ? ` (${esc(it.note)})` : ""}</title>`;
    s += `<text x="${labelWidth - 6}" y="${y + 15}" font-size="12" text-anchor="end" fill="#1d2733">${esc(clip(it.label, chars))}</text>`;
    if (it.value !== null) {
      const color = target !== null && it.value < target ? "#b3261e" : "#1b7f4b";
      s += `<rect x="${labelWidth}" y="${y + 4}" width="${Math.max(1, x(it.value) - labelWidth)}" height="${row - 8}" fill="${color}" rx="2"/>`;
      s += `<text x="${x(it.value) + 4}" y="${y + 15}" font-size="11" fill="#1d2733">${esc(format(it.value))}</text>`;
    }
    s += "</g>";
  });
  if (target !== null)
    s += `<line class="target" x1="${x(target)}" x2="${x(target)}" y1="${top - 6}" y2="${height - 18}" stroke="#e08a00" stroke-width="2" stroke-dasharray="5 3"/><text x="${x(target)}" y="12" font-size="11" text-anchor="middle" fill="#a05f00">${esc(targetLabel)}</text>`;
  svg.innerHTML = s;
}

/**
 * Lines over a series (`label` per point; each line `pick(point)` in %, `color`, `name`), 0 to
 * 100 %, with a horizontal dashed line per target (`value`, `color`, `name`).
 */
export function lineChart(svg, points, lines, targets = []) {
  const height = 240;
  const width = size(svg, height);
  const left = 40;
  const bottom = 26;
  const top = 12;
  const n = Math.max(points.length, 1);
  const step = (width - left - 12) / n;
  const x = (i) => left + i * step + step / 2;
  const y = (v) => height - bottom - (v / 100) * (height - bottom - top);
  let s = "";
  for (const v of [0, 25, 50, 75, 100])
    s += `<line x1="${left}" x2="${width - 4}" y1="${y(v)}" y2="${y(v)}" stroke="#e4e8ee"/><text x="${left - 5}" y="${y(v) + 4}" font-size="11" text-anchor="end" fill="#5d6b7a">${v}%</text>`;
  for (const tg of targets) {
    if (tg.value === null || tg.value === undefined) continue;
    s += `<line class="target" data-name="${esc(tg.key)}" x1="${left}" x2="${width - 4}" y1="${y(tg.value)}" y2="${y(tg.value)}" stroke="${tg.color}" stroke-width="1.5" stroke-dasharray="6 4"><title>${esc(tg.name)}</title></line>`;
    s += `<text x="${width - 6}" y="${y(tg.value) - 4}" font-size="11" text-anchor="end" fill="${tg.color}">${esc(tg.name)}</text>`;
  }
  for (const line of lines) {
    // A point without a rate (nothing handled that day) breaks the line rather than bridging it.
    const runs = [[]];
    points.forEach((p, i) => {
      const v = line.pick(p);
      if (v === null || v === undefined) {
        if (runs.at(-1).length > 0) runs.push([]);
        return;
      }
      runs.at(-1).push(`${x(i)},${y(v)}`);
      s += `<circle cx="${x(i)}" cy="${y(v)}" r="3" fill="${line.color}"><title>${esc(p.label)} · ${esc(line.name)}: ${v}%</title></circle>`;
    });
    for (const run of runs)
      if (run.length > 1)
        s += `<polyline fill="none" stroke="${line.color}" stroke-width="2" points="${run.join(" ")}"/>`;
  }
  const every = Math.ceil(n / Math.max(2, Math.floor((width - left) / 56)));
  points.forEach((p, i) => {
    if (i % every === 0)
      s += `<text x="${x(i)}" y="${height - 8}" font-size="11" text-anchor="middle" fill="#5d6b7a">${esc(p.short)}</text>`;
  });
  svg.innerHTML = s;
}

export function emptyChart(svg, text) {
  const width = size(svg, 60);
  svg.innerHTML = `<text x="${width / 2}" y="34" font-size="13" text-anchor="middle" fill="#5d6b7a">${esc(text)}</text>`;
}
