/**
 * The learning-dynamics panel: read the form, run `runDynamics` (exact engine, in the page), and draw the reward
 * curves (mean ± sd over seeds), the final P(C) per own-view state (mean ± sd), the TFT-like fractions and any
 * diverged seeds. Re-runs when the form settles after a change.
 */
import { STATE_LABELS } from "../src/games/game.js";
import { GAME_PRESET_NAMES } from "../src/games/presets.js";
import { mean, sd } from "../src/util/stats.js";
import { DEFAULT_DYNAMICS, type DynamicsRun, type DynamicsSettings, runDynamics } from "./dynamicsModel.js";
import { fillSelect, input, onSettledChange, readChoice, readNumber, showMessage } from "./form.js";
import { bandPath, el, frame, linePath } from "./svg.js";

/** The exact learners a user can pick (`fixed` needs a strategy, which this page does not ask for). */
export const PAGE_LEARNERS = ["naive", "lola", "lookahead", "sos", "cross-hessian"] as const;
export const AGENT_COLORS = ["#1f6fb4", "#e07b12"] as const;

function readSettings(): DynamicsSettings {
  return {
    game: readChoice("dyn-game", "game", GAME_PRESET_NAMES),
    gamma: readNumber({ id: "dyn-gamma", label: "γ", min: 0, max: 0.999 }),
    learners: [
      readChoice("dyn-agent1", "agent 1", PAGE_LEARNERS),
      readChoice("dyn-agent2", "agent 2", PAGE_LEARNERS),
    ],
    lr: readNumber({ id: "dyn-lr", label: "lr", min: 0, max: 10, exclusiveMin: true }),
    eta: readNumber({ id: "dyn-eta", label: "η", min: 0, max: 10 }),
    beta: readNumber({ id: "dyn-beta", label: "β", min: 0, max: 100 }),
    lookahead: readNumber({ id: "dyn-k", label: "k", min: 1, max: 20, integer: true }),
    steps: readNumber({ id: "dyn-steps", label: "steps", min: 1, max: 1000, integer: true }),
    seeds: readNumber({ id: "dyn-seeds", label: "seeds", min: 1, max: 200, integer: true }),
    seed: readNumber({ id: "dyn-seed", label: "seed", min: 0, max: 2 ** 31 - 1, integer: true }),
  };
}

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : "–");

function drawRewards(container: Element, run: DynamicsRun): void {
  const steps = run.rewardMean.length / 2 - 1;
  const xs = Array.from({ length: steps + 1 }, (_, t) => t);
  const series = [0, 1].map((agent) => {
    const m = xs.map((t) => run.rewardMean[2 * t + agent]);
    const s = xs.map((t) => run.rewardSd[2 * t + agent]);
    return { m, lower: m.map((v, t) => v - s[t]), upper: m.map((v, t) => v + s[t]) };
  });
  const finite = series.flatMap((s) => [...s.lower, ...s.upper]).filter(Number.isFinite);
  let lo = finite.length ? Math.min(...finite) : -1;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (hi - lo < 1e-6) [lo, hi] = [lo - 0.5, hi + 0.5];
  const f = frame(container, {
    width: 560,
    height: 300,
    xDomain: [0, Math.max(1, steps)],
    yDomain: [lo, hi],
    xLabel: "update",
    yLabel: "reward per step (1 − γ)·V",
  });
  series.forEach((s, agent) => {
    el("path", { d: bandPath(f, xs, s.lower, s.upper), fill: AGENT_COLORS[agent], opacity: 0.18 }, f.plot);
    el(
      "path",
      {
        d: linePath(
          f,
          xs.map((t) => [t, s.m[t]]),
        ),
        class: "line",
        stroke: AGENT_COLORS[agent],
      },
      f.plot,
    );
  });
}

/** Mean and sd over seeds of each agent's final P(C) in each own-view state: [agent][state]. */
function pcStats(run: DynamicsRun): { mean: number; sd: number }[][] {
  const { pC, seeds } = run.final;
  return [0, 1].map((agent) =>
    STATE_LABELS.map((_, k) => {
      const xs = Array.from({ length: seeds }, (_, s) => pC[10 * s + 5 * agent + k]);
      return { mean: mean(xs), sd: sd(xs) };
    }),
  );
}

function drawPc(container: Element, stats: { mean: number; sd: number }[][]): void {
  const f = frame(container, {
    width: 420,
    height: 300,
    xDomain: [0, 5],
    yDomain: [0, 1],
    xLabel: "own-view state (own action first)",
    yLabel: "P(cooperate)",
    xTicks: STATE_LABELS.map((label, k): [number, string] => [k + 0.5, label]),
  });
  stats.forEach((perState, agent) => {
    perState.forEach(({ mean: m, sd: spread }, k) => {
      const left = k + 0.1 + 0.4 * agent;
      const bar = el(
        "rect",
        {
          x: f.x(left),
          y: f.y(m),
          width: f.x(left + 0.38) - f.x(left),
          height: f.y(0) - f.y(m),
          fill: AGENT_COLORS[agent],
        },
        f.plot,
      );
      el("title", {}, bar).textContent = `agent ${agent + 1}, ${STATE_LABELS[k]}: ${fmt(m)} ± ${fmt(spread)}`;
      const cx = f.x(left + 0.19);
      const [y0, y1] = [f.y(Math.max(0, m - spread)), f.y(Math.min(1, m + spread))];
      el("path", { d: `M${cx},${y0}V${y1}M${cx - 4},${y0}h8M${cx - 4},${y1}h8`, class: "whisker" }, f.plot);
    });
  });
}

function drawSummary(
  container: HTMLElement,
  settings: DynamicsSettings,
  run: DynamicsRun,
  pc: { mean: number; sd: number }[][],
  ms: number,
): void {
  const { rewardPerStep, tftFractionPerAgent, tftFraction, seeds } = run.final;
  const rewards = [0, 1].map((agent) =>
    Array.from({ length: seeds }, (_, s) => rewardPerStep[2 * s + agent]),
  );
  const percent = (v: number) => `${(100 * v).toFixed(0)} %`;
  const table = document.createElement("table");
  const pcHeads = STATE_LABELS.map((label) => `<th>P(C | ${label})</th>`).join("");
  table.innerHTML = `<thead><tr><th>agent</th><th>learner</th><th>reward per step</th><th>TFT-like</th>${pcHeads}</tr></thead>`;
  const body = table.createTBody();
  [0, 1].forEach((agent) => {
    const row = body.insertRow();
    row.className = `agent${agent + 1}`;
    for (const text of [
      `agent ${agent + 1}`,
      settings.learners[agent],
      `${fmt(mean(rewards[agent]))} ± ${fmt(sd(rewards[agent]))}`,
      percent(tftFractionPerAgent[agent]),
      ...pc[agent].map((p) => `${fmt(p.mean, 2)} ± ${fmt(p.sd, 2)}`),
    ]) {
      row.insertCell().textContent = text;
    }
  });
  const both = body.insertRow();
  both.insertCell().textContent = "both";
  both.insertCell().colSpan = 2;
  both.insertCell().textContent = percent(tftFraction);
  const diverged = document.createElement("p");
  diverged.className = run.final.diverged.length ? "warning" : "note";
  diverged.textContent = run.final.diverged.length
    ? `Diverged (stopped at their last finite parameters): ${run.final.diverged
        .map((d) => `seed ${d.seed} at update ${d.step} (${d.learner})`)
        .join("; ")}.`
    : "No seed diverged.";
  const note = document.createElement("p");
  note.className = "note";
  note.textContent =
    `${settings.game}, γ = ${settings.gamma}, ${seeds} seeds from base seed ${settings.seed}, ${run.final.steps} ` +
    `updates; computed in ${ms.toFixed(0)} ms. TFT-like: every P(C) within 0.5 of Tit For Tat [1, 1, 0, 1, 0].`;
  container.replaceChildren(table, diverged, note);
  // For tests and anyone scripting the page: the final mean rewards and which run they belong to.
  container.dataset.learners = settings.learners.join(",");
  container.dataset.reward1 = String(mean(rewards[0]));
  container.dataset.reward2 = String(mean(rewards[1]));
  container.dataset.runs = String(Number(container.dataset.runs ?? 0) + 1);
}

export function setUpDynamicsPanel(): void {
  const d = DEFAULT_DYNAMICS;
  fillSelect("dyn-game", GAME_PRESET_NAMES, d.game);
  fillSelect("dyn-agent1", PAGE_LEARNERS, d.learners[0]);
  fillSelect("dyn-agent2", PAGE_LEARNERS, d.learners[1]);
  const values: Record<string, number> = {
    "dyn-gamma": d.gamma,
    "dyn-lr": d.lr,
    "dyn-eta": d.eta,
    "dyn-beta": d.beta,
    "dyn-k": d.lookahead,
    "dyn-steps": d.steps,
    "dyn-seeds": d.seeds,
    "dyn-seed": d.seed,
  };
  for (const [id, value] of Object.entries(values)) input(id).value = String(value);

  const form = document.getElementById("dyn-form")!;
  const message = document.getElementById("dyn-message")!;
  const results = document.getElementById("dyn-results")!;
  const update = () => {
    try {
      const settings = readSettings();
      const started = performance.now();
      const run = runDynamics(settings);
      const ms = performance.now() - started;
      drawRewards(document.getElementById("dyn-rewards")!, run);
      const pc = pcStats(run);
      drawPc(document.getElementById("dyn-pc")!, pc);
      drawSummary(document.getElementById("dyn-summary")!, settings, run, pc, ms);
      results.classList.remove("stale");
      showMessage(message, undefined);
    } catch (error) {
      results.classList.add("stale"); // the plots below are from the last valid settings
      showMessage(message, error);
    }
  };
  onSettledChange(form, 250, update);
  update();
}
