/**
 * The `sweep-heatmap` figure (src/experiments/figures.ts, src/report/sweepHeatmap.ts): one cell per (x, y) with
 * the lossless mean and sd over seeds, one panel per remaining parameter, "case" as an axis; and the config check
 * that an axis is a swept parameter.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateConfig } from "../src/experiments/config.js";
import { type FigureData, metricBarRows, sweepHeatmapRows } from "../src/experiments/figures.js";
import { InputError } from "../src/util/errors.js";

function data(
  runs: { caseName: string | null; point: Record<string, unknown>; value: number }[],
): FigureData {
  return {
    runs: runs.map((r, id) => ({
      id,
      caseName: r.caseName,
      point: r.point,
      seed: id,
      final: { m: r.value },
    })),
    series: () => [],
    seriesNames: () => [],
    artifact: () => undefined,
  };
}

describe("sweep-heatmap", () => {
  it("averages each (x, y) cell over its seeds, panels by the other parameters", () => {
    const rows = sweepHeatmapRows(
      data([
        { caseName: null, point: { a: 1, b: "exact", c: 0 }, value: 1 },
        { caseName: null, point: { a: 1, b: "exact", c: 0 }, value: 2 },
        { caseName: null, point: { a: 2, b: 4, c: 0 }, value: 0.1 + 0.2 },
        { caseName: null, point: { a: 2, b: 4, c: 1 }, value: -1 },
      ]),
      "b",
      "a",
      "m",
    );
    assert.equal(rows.length, 3);
    const cell = rows.find((r) => r.x === "exact" && r.y === 1 && r.series === "c=0");
    assert.ok(cell);
    assert.equal(cell.mean, 1.5);
    assert.equal(cell.n, 2);
    assert.equal(rows.find((r) => r.x === 4 && r.series === "c=0")?.mean, 0.1 + 0.2, "lossless");
  });

  it("takes the case names as an axis", () => {
    const rows = sweepHeatmapRows(
      data([
        { caseName: "oracle", point: { a: 1 }, value: 3 },
        { caseName: "td", point: { a: 1 }, value: 4 },
      ]),
      "case",
      "a",
      "m",
    );
    assert.deepEqual(
      rows.map((r) => [r.x, r.y, r.series, r.mean]),
      [
        ["oracle", 1, "all", 3],
        ["td", 1, "all", 4],
      ],
    );
  });

  it("a config whose heatmap axis is not swept is an input error naming the figure's field", () => {
    const config = {
      name: "x",
      kind: "asymmetry",
      game: "ipd-lola",
      agents: [{ learner: "lola" }, { learner: "lola" }],
      budget: { steps: 3 },
      sweep: { "agents.0.eta": [1, 2] },
      figures: [{ type: "sweep-heatmap", x: "agents.0.fidelity", y: "agents.0.eta", metric: "exploit" }],
    };
    assert.throws(
      () => validateConfig(config),
      (e: unknown) => e instanceof InputError && e.field === "figures[0].x",
    );
  });
});

describe("bars", () => {
  it("takes a family (m.* → its members) or one metric by its full name", () => {
    const runs = [1, 3].map((v, id) => ({
      id,
      caseName: "c",
      point: {},
      seed: id,
      final: { "ref.welfareLoss": v, "ref.cost.1": 2 * v, "ref.cost.2": -v },
    }));
    const data: FigureData = { runs, series: () => [], seriesNames: () => [], artifact: () => undefined };
    const one = metricBarRows(data, "ref.welfareLoss");
    assert.deepEqual(
      one.map((r) => [r.item, r.mean]),
      [["welfareLoss", 2]],
    );
    assert.deepEqual(
      metricBarRows(data, "ref.cost").map((r) => [r.item, r.mean]),
      [
        ["1", 4],
        ["2", -2],
      ],
    );
  });
});
