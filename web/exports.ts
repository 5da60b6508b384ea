/**
 * Exports of a run and of a figure, made in the page and handed to the browser as downloads:
 *
 * - JSON: `JSON.stringify` of the run and its settings. It writes every float64 as the shortest decimal that reads
 *   back to the same bits (ECMA-262 Number::toString), so the file is lossless; the one exception JSON forces is a
 *   non-finite number (NaN: a state never visited, a seat without a policy), which it writes as null.
 * - CSV: one row per record, numbers written the same shortest round-trip way (String(x)).
 * - SVG: the figure's own markup with the page's plot styles inlined, so it renders the same outside the page.
 * - PNG: that SVG drawn onto a canvas at 2× and encoded by the canvas.
 */
import { el } from "./svg.js";

/** The plot rules of style.css that an exported figure needs (class selectors inside the SVG). */
const FIGURE_CSS = `
svg { font: 11px system-ui, sans-serif; }
.grid { stroke: #eee; }
.box { fill: none; stroke: #999; }
.label { font-size: 12px; fill: #333; }
.line { fill: none; stroke-width: 2; }
.whisker { stroke: #222; fill: none; }
.field path { stroke: #777; fill: none; stroke-width: 1; }
.guide { stroke: #444; stroke-dasharray: 5 4; }
.trajectory polyline { fill: none; stroke-width: 2; }
`;

export function download(filename: string, content: Blob | string, type = "text/plain"): void {
  const blob = typeof content === "string" ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A standalone SVG document of the figure (styles inlined, white background). */
export function svgDocument(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  const style = el("style");
  style.textContent = FIGURE_CSS;
  const background = el("rect", { width: "100%", height: "100%", fill: "white" });
  copy.insertBefore(background, copy.firstChild);
  copy.insertBefore(style, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

/** The figure as a PNG (2× its SVG size). */
export async function pngBlob(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const width = Number(svg.getAttribute("width"));
  const height = Number(svg.getAttribute("height"));
  const url = URL.createObjectURL(new Blob([svgDocument(svg)], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = width * scale;
    canvas.height = height * scale;
    const context = canvas.getContext("2d");
    if (!context) throw new Error("this browser gives no 2d canvas");
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((done, fail) =>
      canvas.toBlob((blob) => (blob ? done(blob) : fail(new Error("the canvas made no PNG"))), "image/png"),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** CSV text of `rows` under `header`; numbers as their shortest round-trip decimal, text quoted when needed. */
export function csvText(
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  const cell = (v: string | number | null) => {
    if (v === null) return "";
    const text = String(v);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `${[header, ...rows].map((row) => row.map(cell).join(",")).join("\n")}\n`;
}

export interface ExportSource {
  /** File names start with it, e.g. "shapelab-dynamics". */
  basename: string;
  json: () => unknown;
  csv: () => string;
  /** The figures, by a short name used in the file name. */
  figures: () => Record<string, SVGSVGElement | null>;
}

/**
 * Fill `container` with the export buttons of a run: JSON, CSV, and SVG and PNG of each figure. `source` is read
 * when a button is clicked, so the buttons always export the run on screen.
 */
export function exportButtons(container: HTMLElement, source: ExportSource): void {
  const button = (text: string, id: string, action: () => void | Promise<void>) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.id = id;
    b.addEventListener("click", () => {
      Promise.resolve(action()).catch((error) => {
        b.title = `export failed: ${error instanceof Error ? error.message : error}`;
      });
    });
    return b;
  };
  const id = container.id;
  const label = document.createElement("span");
  label.textContent = "export: ";
  const figureNames = Object.keys(source.figures());
  container.replaceChildren(
    label,
    button("run JSON", `${id}-json`, () =>
      download(`${source.basename}.json`, JSON.stringify(source.json()), "application/json"),
    ),
    button("run CSV", `${id}-csv`, () => download(`${source.basename}.csv`, source.csv(), "text/csv")),
    ...figureNames.flatMap((name) => [
      button(`${name} SVG`, `${id}-${name}-svg`, () => {
        const svg = source.figures()[name];
        if (svg) download(`${source.basename}-${name}.svg`, svgDocument(svg), "image/svg+xml");
      }),
      button(`${name} PNG`, `${id}-${name}-png`, async () => {
        const svg = source.figures()[name];
        if (svg) download(`${source.basename}-${name}.png`, await pngBlob(svg));
      }),
    ]),
  );
}
