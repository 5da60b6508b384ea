/**
 * Render a Vega-Lite spec (with its data inlined) to an SVG string with vega's headless renderer. Isomorphic:
 * vega and vega-lite run in Node and in the browser, so the library's plots (src/api) and the CLI's figure files
 * (src/node/figures.ts, which adds PNG and CSV) share this one renderer. Both packages are imported on first use:
 * together they take ~0.5 s to load, which a caller that never draws should not pay.
 */
import type * as vegaLite from "vega-lite";

export async function renderSvg(spec: vegaLite.TopLevelSpec): Promise<string> {
  const [vega, vegaLiteModule] = await Promise.all([import("vega"), import("vega-lite")]);
  const compiled = vegaLiteModule.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The spec with `rows` as its inline data (the builders in src/report leave `data.values` empty). */
export function withData(spec: vegaLite.TopLevelSpec, rows: readonly object[]): vegaLite.TopLevelSpec {
  return { ...spec, data: { values: rows } } as vegaLite.TopLevelSpec;
}
