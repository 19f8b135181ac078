import { html } from "hono/html";
import type { Html } from "./layout.js";

/**
 * Charts drawn on the server as inline SVG: two shapes (a time series of one or two lines, and
 * horizontal bars) in about a hundred lines, where a charting library would need a script bundle
 * served to the browser and a Content-Security-Policy that lets scripts run. Every chart is
 * `role="img"` with a title; the page puts a table with the same figures beside it for keyboards
 * and screen readers.
 */
export interface Series {
  name: string;
  /** A CSS colour. */
  color: string;
  values: number[];
}

const W = 560;
const H = 200;
const PAD = { left: 44, right: 24, top: 12, bottom: 28 };

/** A line chart over `labels` (dates), one polyline per series, with a y axis from 0 to the maximum. */
export function lineChart(id: string, title: string, labels: string[], series: Series[]): Html {
  const max = niceMax(Math.max(1, ...series.flatMap((s) => s.values)));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number): number => PAD.left + (labels.length <= 1 ? innerW / 2 : (i * innerW) / (labels.length - 1));
  const y = (v: number): number => PAD.top + innerH - (v / max) * innerH;
  const ticks = [0, max / 2, max];
  const every = Math.max(1, Math.ceil(labels.length / 6));
  return html`<figure class="chart" data-chart="${id}">
    <svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="${id}-title">
      <title id="${id}-title">${title}</title>
      ${ticks.map(
        (t) =>
          html`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t)}" y2="${y(t)}" stroke="#d0d7de" /><text
              x="${PAD.left - 6}"
              y="${y(t) + 4}"
              text-anchor="end"
              font-size="11"
              fill="#59636e"
            >
              ${fmt(t)}
            </text>`,
      )}
      ${labels.map((label, i) =>
        (i % every === 0 && labels.length - 1 - i >= every) || i === labels.length - 1
          ? html`<text
              x="${x(i)}"
              y="${H - 8}"
              text-anchor="${i === labels.length - 1 ? "end" : "middle"}"
              font-size="11"
              fill="#59636e"
              >${label.slice(5)}</text
            >`
          : "",
      )}
      ${series.map(
        (s) =>
          html`<polyline
              fill="none"
              stroke="${s.color}"
              stroke-width="2"
              points="${s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ")}"
            />${s.values.map((v, i) => html`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${s.color}" />`)}`,
      )}
    </svg>
    <figcaption>
      ${series.map((s) => html`<span class="key"><span class="swatch" style="background:${s.color}"></span>${s.name}</span> `)}
    </figcaption>
  </figure>`;
}

/** Horizontal bars, one per row, longest first as given; a second value is drawn as an overlay (e.g. bypassed of blocked). */
export function barChart(
  id: string,
  title: string,
  rows: { label: string; value: number; part?: number; text?: string }[],
  colors: { value: string; part?: string } = { value: "#0969da" },
): Html {
  const rowH = 22;
  const labelW = 190;
  const height = Math.max(1, rows.length) * rowH + 8;
  const max = Math.max(1, ...rows.map((r) => r.value));
  // Room at the right for the figures written after the longest bar.
  const room = rows.some((r) => r.text !== undefined) ? 170 : 60;
  const barW = (v: number): number => ((W - labelW - room) * v) / max;
  return html`<figure class="chart" data-chart="${id}">
    <svg viewBox="0 0 ${W} ${height}" width="100%" role="img" aria-labelledby="${id}-title">
      <title id="${id}-title">${title}</title>
      ${rows.map((r, i) => {
        const top = 4 + i * rowH;
        return html`<text x="${labelW - 6}" y="${top + 14}" text-anchor="end" font-size="12" fill="#1f2328">
            ${r.label.length > 28 ? `${r.label.slice(0, 27)}…` : r.label}</text
          ><rect
            x="${labelW}"
            y="${top + 3}"
            width="${barW(r.value).toFixed(1)}"
            height="${rowH - 8}"
            fill="${colors.value}"
            rx="2"
          />${
            r.part !== undefined && colors.part
              ? html`<rect
                  x="${labelW}"
                  y="${top + 3}"
                  width="${barW(r.part).toFixed(1)}"
                  height="${rowH - 8}"
                  fill="${colors.part}"
                  rx="2"
                />`
              : ""
          }<text x="${labelW + barW(r.value) + 6}" y="${top + 14}" font-size="12" fill="#59636e"
            >${r.text ?? r.value}</text
          >`;
      })}
    </svg>
  </figure>`;
}

function niceMax(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
