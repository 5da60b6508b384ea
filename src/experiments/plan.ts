/**
 * Expanding a config into run units: cases × sweep grid × seeds, in a fixed order. Each unit carries its fully
 * resolved run config (defaults filled) and a key, a hash of (run config, seed): the same run always has the
 * same key, which is how a rerun recognises finished work.
 */
import { resolveRunConfig, setPath } from "./config.js";
import { storedExperimentName } from "./presets.js";
import type { ExperimentConfig, RunConfig, RunUnit } from "./types.js";

/** JSON with object keys sorted at every level: equal data → equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

/**
 * A 128-bit identity hash of a string (four MurmurHash3-style 32-bit lanes), as 32 hex digits. For naming
 * runs, not for security; isomorphic (no node:crypto).
 */
export function hashText(text: string): string {
  const lanes = [0x811c9dc5, 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    for (let l = 0; l < 4; l++) {
      let h = lanes[l] ^ Math.imul(c + l, 0xcc9e2d51);
      h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
      lanes[l] = h | 0;
    }
  }
  return lanes
    .map((h, l) => {
      h ^= text.length + l;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      return (h >>> 0).toString(16).padStart(8, "0");
    })
    .join("");
}

export function runKey(config: RunConfig, seed: number): string {
  return hashText(canonicalJson({ config, seed }));
}

/** Every (path → value) combination of a sweep grid, first key varying slowest. */
export function gridPoints(sweep: Record<string, unknown[]> | undefined): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [path, values] of Object.entries(sweep ?? {})) {
    points = points.flatMap((p) => values.map((v) => ({ ...p, [path]: v })));
  }
  return points;
}

/** The run units of a validated config, in order: cases × grid points × seeds. */
export function planRuns(config: ExperimentConfig): RunUnit[] {
  const units: RunUnit[] = [];
  const cases = config.cases ?? [{ name: null as string | null, set: {} }];
  for (const c of cases) {
    let withCase: ExperimentConfig = config;
    for (const [path, value] of Object.entries(c.set))
      withCase = setPath(withCase, path, value, `case ${c.name}`);
    for (const point of gridPoints(config.sweep)) {
      let resolved = withCase;
      for (const [path, value] of Object.entries(point))
        resolved = setPath(resolved, path, value, `sweep["${path}"]`);
      const note = ` (${c.name ? `case "${c.name}"` : ""}${c.name && Object.keys(point).length ? ", " : ""}${
        Object.keys(point).length ? `sweep point ${canonicalJson(point)}` : ""
      })`;
      const runConfig = resolveRunConfig(resolved, note === " ()" ? "" : note);
      for (let s = 0; s < config.seeds.count; s++) {
        const seed = config.seeds.base + s;
        units.push({
          key: runKey(runConfig, seed),
          experiment: storedExperimentName(config),
          index: units.length,
          caseName: c.name,
          point,
          seedIndex: s,
          seed,
          config: runConfig,
        });
      }
    }
  }
  return units;
}
