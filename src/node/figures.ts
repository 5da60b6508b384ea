/**
 * Write a figure: a Vega-Lite spec rendered to SVG (vega + vega-lite, headless, in Node), a PNG render of that
 * SVG (@resvg/resvg-js), and the figure's data as CSV beside it.
 *
 * `writeFigure(spec, rows, "out/tft")` writes out/tft.svg, out/tft.png, out/tft.csv and out/tft.vl.json.
 * Specs are built by `src/report` (isomorphic); only the file writing and rasterising live here.
 * vega, vega-lite and resvg are imported on first use: together they take ~0.5 s to load, which every CLI
 * command would otherwise pay at start-up.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type * as vegaLite from "vega-lite";
import { renderSvg } from "../report/render.js";

export type Row = Record<string, string | number | boolean | null>;

export interface FigureFiles {
  svg: string;
  png: string;
  csv: string;
  spec: string;
}

/** Rows as CSV with a header line; strings are quoted when needed. pandas.read_csv reads it as is. */
export function toCsv(rows: Row[]): string {
  if (rows.length === 0) return "";
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: Row[string] | undefined) => {
    if (v === null || v === undefined) return "";
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[columns.join(","), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))].join("\n")}\n`;
}

/** Render a Vega-Lite spec (with its data inlined) to an SVG string: the isomorphic renderer, re-exported. */
export { renderSvg };

/** Rasterise an SVG string to PNG bytes at `scale`× its size, on a white background. */
export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  });
  return resvg.render().asPng();
}

/**
 * Write `<base>.svg`, `<base>.png`, `<base>.csv` and `<base>.vl.json`. The spec's data is replaced by `rows`
 * (inline values), so the CSV and the picture always show the same numbers.
 */
export async function writeFigure(spec: vegaLite.TopLevelSpec, rows: Row[], base: string): Promise<FigureFiles> {
  mkdirSync(dirname(base), { recursive: true });
  const full = { ...spec, data: { values: rows } } as vegaLite.TopLevelSpec;
  const svg = await renderSvg(full);
  const files: FigureFiles = { svg: `${base}.svg`, png: `${base}.png`, csv: `${base}.csv`, spec: `${base}.vl.json` };
  writeFileSync(files.svg, svg);
  writeFileSync(files.png, await svgToPng(svg));
  writeFileSync(files.csv, toCsv(rows));
  writeFileSync(files.spec, `${JSON.stringify(full, null, 2)}\n`);
  return files;
}
