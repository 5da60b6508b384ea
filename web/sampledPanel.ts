/**
 * The sampled-learners page: read the form, check it (./sampledModel.ts), run `trainSampled` in a Web Worker
 * (./sampledWorker.ts) with a progress bar and a cancel button, and draw the reward curves (mean ± sd over seeds),
 * each agent's final P(C) per state (policy, and empirical in the evaluation rollout), and for every AA seat the
 * quadrant diagnostics: the share of |alignment term| in each sign quadrant (past term, opponent advantage) over
 * training. A change of the form restarts the run (the running one is terminated). Settings live in the URL;
 * the run and its figures can be exported.
 */
import { STATE_LABELS } from "../src/games/game.js";
import { GAME_PRESET_NAMES } from "../src/games/presets.js";
import { AA_PAST_ADVANTAGES, AA_VARIANTS } from "../src/learners/sampled/aa.js";
import { finalValues, rewardCurves } from "../src/learners/sampled/summary.js";
import type { TrainSampledResult } from "../src/learners/sampled/train.js";
import { mean, sd } from "../src/util/stats.js";
import { AGENT_COLORS, drawCurves, drawStateBars, SERIES_COLORS, type Stat } from "./charts.js";
import { csvText, exportButtons } from "./exports.js";
import {
  fillSelect,
  input,
  onSettledChange,
  readChoice,
  readNumber,
  readOptionalNumber,
  showMessage,
} from "./form.js";
import {
  DEFAULT_SAMPLED,
  INIT_KINDS,
  SAMPLED_PAGE_AGENTS,
  type SampledSettings,
  sampledOptions,
} from "./sampledModel.js";
import type { WorkerMessage } from "./sampledProtocol.js";
import { restoreFromUrl, saveToUrl } from "./urlState.js";

function readSettings(): SampledSettings {
  const lr = (agent: number) =>
    readOptionalNumber({ id: `sm-lr${agent}`, label: `lr ${agent}`, min: 0, max: 10, exclusiveMin: true }) ??
    null;
  return {
    game: readChoice("sm-game", "game", GAME_PRESET_NAMES),
    payoffs: input("sm-payoffs").value,
    gamma: readNumber({ id: "sm-gamma", label: "γ", min: 0, max: 0.999 }),
    agents: [
      readChoice("sm-agent1", "agent 1", SAMPLED_PAGE_AGENTS),
      readChoice("sm-agent2", "agent 2", SAMPLED_PAGE_AGENTS),
    ],
    lr: [lr(1), lr(2)],
    beta: readOptionalNumber({ id: "sm-beta", label: "β", min: 0, max: 100 }) ?? null,
    aaVariant: readChoice("sm-variant", "AA variant", AA_VARIANTS),
    aaPast: readChoice("sm-past", "AA past term", AA_PAST_ADVANTAGES),
    init: readChoice("sm-init", "init", INIT_KINDS),
    batch: readNumber({ id: "sm-batch", label: "batch", min: 1, max: 4096, integer: true }),
    rollout: readNumber({ id: "sm-rollout", label: "rollout", min: 1, max: 1000, integer: true }),
    updates: readNumber({ id: "sm-updates", label: "updates", min: 1, max: 5000, integer: true }),
    seeds: readNumber({ id: "sm-seeds", label: "seeds", min: 1, max: 64, integer: true }),
    seed: readNumber({ id: "sm-seed", label: "seed", min: 0, max: 2 ** 31 - 1, integer: true }),
  };
}

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : "–");
const statOf = (xs: number[]): Stat =>
  xs.length ? { mean: mean(xs), sd: sd(xs) } : { mean: Number.NaN, sd: 0 };

/** Mean ± sd over seeds per agent and state; NaN / null entries (a strategy seat, an unvisited state) left out. */
function stateStats(perSeed: readonly (readonly (readonly (number | null)[])[])[]): Stat[][] {
  return [0, 1].map((agent) =>
    STATE_LABELS.map((_, k) =>
      statOf(perSeed.map((s) => s[agent][k]).filter((v): v is number => v !== null && Number.isFinite(v))),
    ),
  );
}

function drawResult(result: TrainSampledResult): void {
  const curves = rewardCurves(result);
  drawCurves(
    document.getElementById("sm-rewards")!,
    [0, 1].map((agent) => {
      const perUpdate = curves.values.map((u) => u.map((s) => s[agent]));
      return {
        mean: perUpdate.map(mean),
        sd: perUpdate.map((xs) => (xs.length > 1 ? sd(xs) : 0)),
        color: AGENT_COLORS[agent],
        label: `agent ${agent + 1}`,
      };
    }),
    { xLabel: "update", yLabel: `${curves.source} reward per step` },
  );
  drawStateBars(document.getElementById("sm-pc")!, stateStats(result.finalPC));
  drawStateBars(
    document.getElementById("sm-empirical")!,
    stateStats(result.empiricalPC),
    "empirical P(cooperate)",
  );
  const quadrants = document.getElementById("sm-quadrants")!;
  quadrants.replaceChildren();
  for (const q of result.aaQuadrants) {
    const figure = document.createElement("figure");
    const caption = document.createElement("figcaption");
    caption.textContent = `Agent ${q.agent + 1} (AA): share of |alignment term| by sign quadrant over training`;
    const plot = document.createElement("div");
    plot.id = `sm-quadrants-agent${q.agent + 1}`;
    const overall = q.quadrants.map((_, i) => mean(q.perSeed.map((row) => row[i])));
    const legend = document.createElement("p");
    legend.className = "note";
    legend.dataset.shares = JSON.stringify(overall);
    legend.textContent = `over all updates and seeds: ${q.quadrants
      .map((name, i) => `${name} ${(100 * overall[i]).toFixed(0)} %`)
      .join(", ")}`;
    figure.append(caption, plot, legend);
    quadrants.append(figure);
    drawCurves(
      plot,
      q.quadrants.map((name, i) => ({
        mean: q.shares.map((row) => row[i]),
        color: SERIES_COLORS[i],
        label: name,
      })),
      { xLabel: "update", yLabel: "share of |alignment term|", yDomain: [0, 1], width: 420 },
    );
    const key = document.createElement("p");
    key.className = "note";
    key.replaceChildren(
      ...q.quadrants.map((name, i) => {
        const span = document.createElement("span");
        span.style.color = SERIES_COLORS[i];
        span.textContent = `■ ${name}  `;
        return span;
      }),
    );
    figure.append(key);
  }
}

function drawSummary(
  container: HTMLElement,
  settings: SampledSettings,
  result: TrainSampledResult,
  ms: number,
) {
  const finals = finalValues(result);
  const source = rewardCurves(result).source;
  const table = document.createElement("table");
  const heads = STATE_LABELS.map((label) => `<th>P(C | ${label})</th>`).join("");
  table.innerHTML = `<thead><tr><th>agent</th><th>learner</th><th>${source} reward per step, last 10 updates</th>${heads}</tr></thead>`;
  const body = table.createTBody();
  const policy = stateStats(result.finalPC);
  const empirical = stateStats(result.empiricalPC);
  [0, 1].forEach((agent) => {
    const r = finals.map((s) => s[agent]);
    for (const [kind, stats] of [
      ["policy", policy],
      ["empirical", empirical],
    ] as const) {
      const row = body.insertRow();
      row.className = `agent${agent + 1}`;
      const cells =
        kind === "policy"
          ? [`agent ${agent + 1}`, result.learners[agent], `${fmt(mean(r))} ± ${fmt(sd(r))}`]
          : ["", "(empirical)", ""];
      for (const text of [...cells, ...stats[agent].map((p) => `${fmt(p.mean, 2)} ± ${fmt(p.sd, 2)}`)])
        row.insertCell().textContent = text;
    }
  });
  const note = document.createElement("p");
  note.className = "note";
  note.textContent =
    `${result.game}, γ = ${result.gamma}, ${result.seeds} seed(s) from seed ${result.seed}, batch ${result.batch} × ` +
    `${result.rollout} steps, ${result.updates} updates; computed in ${(ms / 1000).toFixed(2)} s in a worker. ` +
    `The same run on the command line: ${cliCommand(settings)}`;
  container.replaceChildren(table, note);
  container.dataset.learners = result.learners.join(",");
  container.dataset.reward1 = String(mean(finals.map((s) => s[0])));
  container.dataset.reward2 = String(mean(finals.map((s) => s[1])));
  container.dataset.runs = String(Number(container.dataset.runs ?? 0) + 1);
}

/** `shapelab train` flags for the same run (when both agents share a learning rate, as the CLI's --lr does). */
export function cliCommand(s: SampledSettings): string {
  const flags = [
    s.payoffs.trim() ? `--payoffs ${s.payoffs.trim().replaceAll(" ", "")}` : `--game ${s.game}`,
    `--gamma ${s.gamma}`,
    `--agents ${s.agents.join(",")}`,
  ];
  const lr = s.lr[0] ?? s.lr[1];
  const lrFlag = s.agents.includes("lola-dice") ? "--lr-outer" : "--lr";
  if (lr !== null) flags.push(s.lr[0] === s.lr[1] ? `${lrFlag} ${lr}` : `(per-agent lr: not a CLI flag)`);
  if (s.agents.includes("aa")) {
    if (s.beta !== null) flags.push(`--beta ${s.beta}`);
    flags.push(`--aa-variant ${s.aaVariant}`, `--aa-past ${s.aaPast}`);
  }
  flags.push(`--init ${s.init}`, `--batch ${s.batch}`, `--rollout ${s.rollout}`, `--updates ${s.updates}`);
  flags.push(`--seeds ${s.seeds}`, `--seed ${s.seed}`);
  return `shapelab train ${flags.join(" ")}`;
}

function resultCsv(result: TrainSampledResult): string {
  const curves = rewardCurves(result);
  const rows: (string | number | null)[][] = [];
  result.rewardPerStep.forEach((u, update) =>
    u.forEach((seed, k) =>
      [0, 1].forEach((agent) =>
        rows.push([
          update,
          result.seed + k,
          agent + 1,
          seed[agent],
          curves.source === "exact" ? result.exactPerStep[update][k][agent] : null,
        ]),
      ),
    ),
  );
  return csvText(["update", "seed", "agent", "sampled_reward_per_step", "exact_reward_per_step"], rows);
}

export function setUpSampledPanel(): void {
  const d = DEFAULT_SAMPLED;
  fillSelect("sm-game", GAME_PRESET_NAMES, d.game);
  fillSelect("sm-agent1", SAMPLED_PAGE_AGENTS, d.agents[0]);
  fillSelect("sm-agent2", SAMPLED_PAGE_AGENTS, d.agents[1]);
  fillSelect("sm-variant", AA_VARIANTS, d.aaVariant);
  fillSelect("sm-past", AA_PAST_ADVANTAGES, d.aaPast);
  fillSelect("sm-init", INIT_KINDS, d.init);
  const values: Record<string, number | string | null> = {
    "sm-payoffs": d.payoffs,
    "sm-gamma": d.gamma,
    "sm-lr1": d.lr[0],
    "sm-lr2": d.lr[1],
    "sm-beta": d.beta,
    "sm-batch": d.batch,
    "sm-rollout": d.rollout,
    "sm-updates": d.updates,
    "sm-seeds": d.seeds,
    "sm-seed": d.seed,
  };
  for (const [id, value] of Object.entries(values)) input(id).value = value === null ? "" : String(value);
  const form = document.getElementById("sm-form") as HTMLFormElement;
  restoreFromUrl([form]);

  const message = document.getElementById("sm-message")!;
  const results = document.getElementById("sm-results")!;
  const progress = document.getElementById("sm-progress") as HTMLProgressElement;
  const status = document.getElementById("sm-status")!;
  const cancel = document.getElementById("sm-cancel") as HTMLButtonElement;
  let worker: Worker | undefined;
  let shown: { settings: SampledSettings; result: TrainSampledResult } | undefined;

  exportButtons(document.getElementById("sm-export")!, {
    basename: "shapelab-sampled",
    json: () =>
      shown
        ? { settings: shown.settings, options: sampledOptions(shown.settings), ...resultJson(shown.result) }
        : null,
    csv: () => (shown ? resultCsv(shown.result) : ""),
    figures: () => ({
      rewards: document.querySelector<SVGSVGElement>("#sm-rewards svg"),
      pc: document.querySelector<SVGSVGElement>("#sm-pc svg"),
      empirical: document.querySelector<SVGSVGElement>("#sm-empirical svg"),
      quadrants1: document.querySelector<SVGSVGElement>("#sm-quadrants-agent1 svg"),
      quadrants2: document.querySelector<SVGSVGElement>("#sm-quadrants-agent2 svg"),
    }),
  });

  const stop = (text: string) => {
    worker?.terminate();
    worker = undefined;
    cancel.disabled = true;
    status.textContent = text;
    status.dataset.state = text.startsWith("cancelled") ? "cancelled" : "idle";
  };
  const start = () => {
    let settings: SampledSettings;
    try {
      settings = readSettings();
      sampledOptions(settings); // reject bad settings here, before a worker starts
      saveToUrl([form]);
      showMessage(message, undefined);
    } catch (error) {
      results.classList.add("stale");
      showMessage(message, error);
      return;
    }
    worker?.terminate();
    const current = new Worker(new URL("./sampledWorker.js", import.meta.url), { type: "module" });
    worker = current;
    cancel.disabled = false;
    progress.max = settings.updates;
    progress.value = 0;
    status.dataset.state = "running";
    status.textContent = `update 0 / ${settings.updates}`;
    results.classList.add("stale");
    current.addEventListener("message", (event: MessageEvent<WorkerMessage>) => {
      if (current !== worker) return; // a cancelled or replaced run
      const m = event.data;
      if (m.kind === "progress") {
        progress.value = m.update;
        status.textContent = `update ${m.update} / ${settings.updates}: sampled reward per step ${fmt(m.rewards[0])} / ${fmt(m.rewards[1])}`;
        return;
      }
      stop(m.kind === "done" ? `done in ${(m.ms / 1000).toFixed(2)} s` : "stopped by an error");
      if (m.kind === "error") {
        message.hidden = false;
        message.textContent = m.input ? m.message : `internal error: ${m.message}`;
        return;
      }
      shown = { settings, result: m.result };
      drawResult(m.result);
      drawSummary(document.getElementById("sm-summary")!, settings, m.result, m.ms);
      results.classList.remove("stale");
    });
    current.addEventListener("error", (event) => {
      if (current !== worker) return;
      stop("stopped by an error");
      showMessage(message, new Error(event.message || "the worker failed to start"));
    });
    current.postMessage(settings);
  };
  cancel.addEventListener("click", () => stop(`cancelled at update ${progress.value} / ${progress.max}`));
  document.getElementById("sm-run")!.addEventListener("click", start);
  onSettledChange(form, 400, start);
  start();
}

/** The result for export, lossless (JSON writes NaN, a strategy seat's P(C), as null). */
function resultJson(result: TrainSampledResult) {
  return {
    ...result,
    final: { rewardPerStep: finalValues(result), rewardSource: rewardCurves(result).source },
  };
}
