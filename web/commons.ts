/**
 * The Commons Harvest viewer (web/commons.html): replays one episode frame by frame — live apples, focal (blue)
 * and background (red) agents with their facings, returns so far. Two sources:
 *
 * - simulate: fixed agents (greedy, greedy-zapper, sustainable, random) in the 5 focal and 2 background seats,
 *   played in the page by the library's own env and rollout (src/envs/commons, src/learners/neural/
 *   commonsRollout.ts) on the evaluation stream, so a seed shows the very game `rolloutCommons` plays in Node
 *   with one game and that seed (the kind's focal-vs-background protocol);
 * - a file: the `episodes` artifact of a `commons-harvest` run (`<store>/artifacts/<run key>/episodes.json`),
 *   one recorded evaluation episode per learner and baseline; pick which one to replay.
 * Both are drawn by src/envs/commons/frames.ts's tiles, as the HTML report's frame strip is.
 */
import { COMMONS_ACTIONS, CommonsHarvestEnv, OPEN_PARAMS } from "../src/envs/commons/env.js";
import {
  FIXED_COMMONS_AGENTS,
  type FixedCommonsAgentName,
  fixedCommonsAgent,
} from "../src/envs/commons/fixedAgents.js";
import { type EpisodeLayout, type FrameLike, frameTiles, TILE_COLOURS } from "../src/envs/commons/frames.js";
import { COMMONS_MAPS, parseCommonsMap } from "../src/envs/commons/map.js";
import { COMMONS_TRAIN_STREAM, rolloutCommons } from "../src/learners/neural/commonsRollout.js";
import { fillSelect, readChoice, readNumber, showMessage } from "./form.js";
import { el } from "./svg.js";

const CELL = 28;
const MAP_NAMES = Object.keys(COMMONS_MAPS);

interface Frame extends FrameLike {
  rewards: readonly number[];
}

interface Episode {
  layout: EpisodeLayout;
  frames: readonly Frame[];
  source: string;
}

let episode: Episode | undefined;
let t = 0;
let timer: ReturnType<typeof setInterval> | undefined;
/** A loaded `episodes` artifact: its layout and recorded episodes by label. */
let loaded: { layout: EpisodeLayout; runs: Record<string, Frame[]> } | undefined;

function message(): HTMLElement {
  return document.getElementById("commons-message") as HTMLElement;
}

/** Melting Pot's open regrowth probabilities × `speed` (capped at 1), as the experiment's `regrowth` param. */
function scaledRegrowth(speed: number): [number, number, number, number] {
  const [k0, k1, k2, k3] = OPEN_PARAMS.regrowth.map((p) => Math.min(1, p * speed));
  return [k0, k1, k2, k3];
}

/** Play one game with fixed agents in the page (5 focal + 2 background on the default 7 players). */
function simulate(): Episode {
  const mapName = readChoice("commons-map", "map", MAP_NAMES);
  const steps = readNumber({ id: "commons-steps", label: "steps", min: 1, max: 5000, integer: true });
  const seed = readNumber({ id: "commons-seed", label: "seed", min: 0, max: 2 ** 31 - 1, integer: true });
  const speed = readNumber({ id: "commons-regrowth", label: "regrowth ×", min: 0, max: 40 });
  const focal: FixedCommonsAgentName = readChoice("commons-focal", "focal", FIXED_COMMONS_AGENTS);
  const background: FixedCommonsAgentName = readChoice(
    "commons-background",
    "background",
    FIXED_COMMONS_AGENTS,
  );
  const map = parseCommonsMap(mapName, COMMONS_MAPS[mapName]);
  const env = new CommonsHarvestEnv(map, {
    ...OPEN_PARAMS,
    episodeSteps: steps,
    regrowth: scaledRegrowth(speed),
  });
  const focalCount = 5;
  const seats = Array.from({ length: env.params.players }, (_, i) => ({
    agent: fixedCommonsAgent(
      i < focalCount ? focal : background,
      env,
      i < focalCount ? "focal" : "background",
    ),
  }));
  const r = rolloutCommons(env, seats, { games: 1, seed, keys: [COMMONS_TRAIN_STREAM.eval], frames: true });
  return {
    layout: { map: COMMONS_MAPS[mapName], appleCells: Array.from(map.appleCells), focal: focalCount },
    frames: r.frames ?? [],
    source: `${focal} ×5 vs ${background} ×2, seed ${seed}`,
  };
}

function fromFile(label: string): Episode {
  if (!loaded) throw new Error("no episodes file loaded");
  const frames = loaded.runs[label];
  if (!frames)
    throw new Error(`the file has no episode "${label}"; it has: ${Object.keys(loaded.runs).join(", ")}`);
  return { layout: loaded.layout, frames, source: `file: ${label}` };
}

function draw(): void {
  const board = document.getElementById("commons-board") as HTMLElement;
  board.replaceChildren();
  if (!episode) return;
  const { layout, frames } = episode;
  const H = layout.map.length;
  const W = layout.map[0].length;
  const svg = el("svg", { viewBox: `0 0 ${W * CELL} ${H * CELL}`, width: W * CELL, height: H * CELL }, board);
  const frame = frames[t];
  for (const tile of frameTiles(layout, frame)) {
    const x = tile.col * CELL;
    const y = tile.row * CELL;
    if (tile.agent === undefined) {
      el("rect", { x, y, width: CELL, height: CELL, fill: TILE_COLOURS[tile.tile], class: tile.tile }, svg);
      continue;
    }
    const cx = x + CELL / 2;
    const cy = y + CELL / 2;
    el("circle", { cx, cy, r: CELL * 0.4, fill: TILE_COLOURS[tile.tile], class: `agent ${tile.tile}` }, svg);
    const [dr, dc] = [
      [-1, 0],
      [0, 1],
      [1, 0],
      [0, -1],
    ][tile.facing ?? 0];
    el(
      "line",
      {
        x1: cx,
        y1: cy,
        x2: cx + dc * CELL * 0.45,
        y2: cy + dr * CELL * 0.45,
        stroke: "#fff",
        "stroke-width": 3,
      },
      svg,
    );
  }
  // Returns so far: the sum of the rewards of frames 1 … t.
  const n = frame.position.length;
  const totals = new Array(n).fill(0);
  for (let k = 1; k <= t; k++) frames[k].rewards.forEach((r, i) => (totals[i] += r));
  const focal = layout.focal;
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const focalReturn = mean(totals.slice(0, focal));
  const backgroundReturn = mean(totals.slice(focal));
  const apples = [...frame.apples].filter((c) => c === "1").length;
  const summary = document.getElementById("commons-summary") as HTMLElement;
  Object.assign(summary.dataset, {
    t: String(t),
    apples: String(apples),
    focal: String(focalReturn),
    background: String(backgroundReturn),
    frames: String(frames.length),
  });
  summary.textContent =
    `${episode.source} — step ${t} of ${frames.length - 1}: ${apples} live apples; ` +
    `focal per-capita return ${focalReturn.toFixed(2)}, background ${backgroundReturn.toFixed(2)}`;
  (document.getElementById("commons-t") as HTMLInputElement).max = String(frames.length - 1);
  (document.getElementById("commons-t") as HTMLInputElement).value = String(t);
}

function start(): void {
  stop();
  try {
    const source = (document.getElementById("commons-source") as HTMLSelectElement).value;
    episode = source === "simulate" ? simulate() : fromFile(source);
    t = 0;
    showMessage(message(), undefined);
  } catch (error) {
    episode = undefined;
    showMessage(message(), error);
  }
  draw();
}

function stop(): void {
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
}

function step(): boolean {
  if (!episode || t >= episode.frames.length - 1) return false;
  t += 1;
  draw();
  return true;
}

function setUp(): void {
  fillSelect("commons-map", MAP_NAMES, "small");
  fillSelect("commons-focal", FIXED_COMMONS_AGENTS, "sustainable");
  fillSelect("commons-background", FIXED_COMMONS_AGENTS, "greedy");
  fillSelect("commons-source", ["simulate"], "simulate");
  (document.getElementById("commons-actions") as HTMLElement).textContent = COMMONS_ACTIONS.join(", ");
  const form = document.getElementById("commons-form") as HTMLFormElement;
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("change", (e) => {
    if ((e.target as HTMLElement).id === "commons-t") {
      stop();
      t = Number((e.target as HTMLInputElement).value);
      draw();
    } else if ((e.target as HTMLElement).id !== "commons-file") start();
  });
  (document.getElementById("commons-file") as HTMLInputElement).addEventListener("change", async (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      const doc = JSON.parse(await file.text());
      if (
        typeof doc !== "object" ||
        doc === null ||
        !Array.isArray(doc.map) ||
        typeof doc.runs !== "object"
      ) {
        throw new Error(
          `${file.name}: not a commons-harvest "episodes" artifact (needs map, appleCells, focal, runs)`,
        );
      }
      loaded = { layout: { map: doc.map, appleCells: doc.appleCells, focal: doc.focal }, runs: doc.runs };
      const labels = Object.keys(doc.runs);
      fillSelect("commons-source", ["simulate", ...labels], labels[0] ?? "simulate");
      start();
    } catch (error) {
      showMessage(message(), error);
    }
  });
  (document.getElementById("commons-new") as HTMLElement).addEventListener("click", start);
  (document.getElementById("commons-step") as HTMLElement).addEventListener("click", () => {
    stop();
    step();
  });
  (document.getElementById("commons-end") as HTMLElement).addEventListener("click", () => {
    stop();
    if (episode) t = episode.frames.length - 1;
    draw();
  });
  (document.getElementById("commons-play") as HTMLElement).addEventListener("click", () => {
    if (timer !== undefined) return stop();
    timer = setInterval(() => {
      if (!step()) stop();
    }, 120);
  });
  start();
}

setUp();
document.body.dataset.ready = "true";
