/**
 * The learning-dynamics panel: read the form, run `runDynamics` (exact engine, in the page), and draw the reward
 * curves (mean ± sd over seeds), the final P(C) per own-view state (mean ± sd), the TFT-like fractions and any
 * diverged seeds. Re-runs when the form settles after a change; the settings live in the URL (./urlState.ts) and
 * the run and its figures can be exported (./exports.ts).
 */
import { STATE_LABELS } from "../src/games/game.js";
import { GAME_PRESET_NAMES } from "../src/games/presets.js";
import { mean, sd } from "../src/util/stats.js";
import { AGENT_COLORS, drawCurves, drawStateBars } from "./charts.js";
import { settingsGame } from "./gameSetting.js";
import { DEFAULT_DYNAMICS, type DynamicsRun, type DynamicsSettings, runDynamics } from "./dynamicsModel.js";
import { csvText, exportButtons } from "./exports.js";
import { fillSelect, input, onSettledChange, readChoice, readNumber, showMessage } from "./form.js";
import { restoreFromUrl, saveToUrl } from "./urlState.js";

/** The exact learners a user can pick (`fixed` needs a strategy, which this page does not ask for). */
export const PAGE_LEARNERS = ["naive", "lola", "lookahead", "sos", "cross-hessian"] as const;

function readSettings(): DynamicsSettings {
  return {
    game: readChoice("dyn-game", "game", GAME_PRESET_NAMES),
    payoffs: input("dyn-payoffs").value,
    gamma: readNumber({ id: "dyn-gamma", label: "γ", min: 0, max: 0.999 }),
    learners: [
      readChoice("dyn-agent1", "agent 1", PAGE_LEARNERS),
      readChoice("dyn-agent2", "agent 2", PAGE_LEARNERS),
    ],
    lr: [
      readNumber({ id: "dyn-lr1", label: "lr 1", min: 0, max: 10, exclusiveMin: true }),
      readNumber({ id: "dyn-lr2", label: "lr 2", min: 0, max: 10, exclusiveMin: true }),
    ],
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
  const column = (values: Float64Array, agent: number) =>
    Array.from({ length: steps + 1 }, (_, t) => values[2 * t + agent]);
  drawCurves(
    container,
    [0, 1].map((agent) => ({
      mean: column(run.rewardMean, agent),
      sd: column(run.rewardSd, agent),
      color: AGENT_COLORS[agent],
      label: `agent ${agent + 1}`,
    })),
    { xLabel: "update", yLabel: "reward per step (1 − γ)·V" },
  );
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
    `${run.final.game}, γ = ${settings.gamma}, ${seeds} seeds from base seed ${settings.seed}, ${run.final.steps} ` +
    `updates; computed in ${ms.toFixed(0)} ms. TFT-like: every P(C) within 0.5 of Tit For Tat [1, 1, 0, 1, 0]. ` +
    `The same run on the command line: ${cliCommand(settings)}`;
  container.replaceChildren(table, diverged, note);
  // For tests and anyone scripting the page: the final mean rewards and which run they belong to.
  container.dataset.learners = settings.learners.join(",");
  container.dataset.reward1 = String(mean(rewards[0]));
  container.dataset.reward2 = String(mean(rewards[1]));
  container.dataset.runs = String(Number(container.dataset.runs ?? 0) + 1);
}

const pairs = (flat: Float64Array) =>
  Array.from({ length: flat.length / 2 }, (_, t) => [flat[2 * t], flat[2 * t + 1]]);

/** [seeds][2][width] from a flat [seeds, 2, width] array. */
const perSeedAgent = (flat: Float64Array, seeds: number, width: number) =>
  Array.from({ length: seeds }, (_, s) =>
    [0, 1].map((a) => Array.from(flat.subarray((2 * s + a) * width, (2 * s + a + 1) * width))),
  );

/** The run on screen, lossless (the CLI's `exact --json` field names where they exist). */
function dynamicsJson(settings: DynamicsSettings, run: DynamicsRun): unknown {
  const f = run.final;
  const game = settingsGame(settings);
  return {
    settings,
    game: f.game,
    payoffs: { agent1: game.r1, agent2: game.r2 },
    gamma: f.gamma,
    steps: f.steps,
    seeds: f.seeds,
    seed: settings.seed,
    states: STATE_LABELS,
    final: { theta: perSeedAgent(f.theta, f.seeds, 5), pC: perSeedAgent(f.pC, f.seeds, 5) },
    rewardPerStep: pairs(f.rewardPerStep),
    tftFraction: f.tftFraction,
    tftFractionPerAgent: f.tftFractionPerAgent,
    diverged: f.diverged,
    curve: pairs(run.rewardMean),
    curveSd: pairs(run.rewardSd),
  };
}

function dynamicsCsv(run: DynamicsRun): string {
  const rows = pairs(run.rewardMean).map((m, t) => [
    t,
    m[0],
    run.rewardSd[2 * t],
    m[1],
    run.rewardSd[2 * t + 1],
  ]);
  return csvText(["update", "agent1_mean", "agent1_sd", "agent2_mean", "agent2_sd"], rows);
}

/** `shapelab exact` flags for the same run (its --lr sets both agents, so only when the two rates are equal). */
function cliCommand(s: DynamicsSettings): string {
  const flags = [
    s.payoffs.trim() ? `--payoffs ${s.payoffs.trim().replaceAll(" ", "")}` : `--game ${s.game}`,
    `--gamma ${s.gamma}`,
    `--agents ${s.learners.join(",")}`,
    s.lr[0] === s.lr[1] ? `--lr ${s.lr[0]}` : "(per-agent lr: not a CLI flag)",
    `--eta ${s.eta}`,
    `--beta ${s.beta}`,
    `--lookahead ${s.lookahead}`,
    `--steps ${s.steps}`,
    `--seeds ${s.seeds}`,
    `--seed ${s.seed}`,
  ];
  return `shapelab exact ${flags.join(" ")}`;
}

export function setUpDynamicsPanel(): void {
  const d = DEFAULT_DYNAMICS;
  fillSelect("dyn-game", GAME_PRESET_NAMES, d.game);
  fillSelect("dyn-agent1", PAGE_LEARNERS, d.learners[0]);
  fillSelect("dyn-agent2", PAGE_LEARNERS, d.learners[1]);
  const values: Record<string, number | string> = {
    "dyn-payoffs": d.payoffs,
    "dyn-gamma": d.gamma,
    "dyn-lr1": d.lr[0],
    "dyn-lr2": d.lr[1],
    "dyn-eta": d.eta,
    "dyn-beta": d.beta,
    "dyn-k": d.lookahead,
    "dyn-steps": d.steps,
    "dyn-seeds": d.seeds,
    "dyn-seed": d.seed,
  };
  for (const [id, value] of Object.entries(values)) input(id).value = String(value);
  const form = document.getElementById("dyn-form") as HTMLFormElement;
  restoreFromUrl([form]);
  const message = document.getElementById("dyn-message")!;
  const results = document.getElementById("dyn-results")!;
  let shown: { settings: DynamicsSettings; run: DynamicsRun } | undefined;
  exportButtons(document.getElementById("dyn-export")!, {
    basename: "shapelab-dynamics",
    json: () => (shown ? dynamicsJson(shown.settings, shown.run) : null),
    csv: () => (shown ? dynamicsCsv(shown.run) : ""),
    figures: () => ({
      rewards: document.querySelector<SVGSVGElement>("#dyn-rewards svg"),
      pc: document.querySelector<SVGSVGElement>("#dyn-pc svg"),
    }),
  });
  const update = () => {
    try {
      const settings = readSettings();
      saveToUrl([form]);
      const started = performance.now();
      const run = runDynamics(settings);
      const ms = performance.now() - started;
      shown = { settings, run };
      drawRewards(document.getElementById("dyn-rewards")!, run);
      const pc = pcStats(run);
      drawStateBars(document.getElementById("dyn-pc")!, pc);
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
