/**
 * The Coin Game viewer (web/coin.html): two fixed league agents play one game on the grid, step by step, with the
 * running rewards and pickups. It runs the library's env and agents (src/envs/coin) in the page, on the same
 * random streams as `playCoinMatch` (src/envs/coin/match.ts) with one game, so a seed shows the very game that
 * `shapelab match --env coin --games 1 --seed <s>` scores.
 *
 * A seat can instead load a saved neural agent (src/nn/agentFile.ts): the file is read in the page and played by
 * src/envs/coin/neuralAgent.ts, as `shapelab match --env coin --a agent.json` plays it.
 *
 * The league row plays the red seat's agent against the fixed agents and the blue seat's agent with the league's
 * own code (src/arena/coinLeague.ts): the numbers of `shapelab run coin-league` with these members and seed.
 */
import {
  AGENTS,
  CoinGameEnv,
  type CoinState,
  PICKED_OTHER,
  PICKED_OWN,
  ACTION_NAMES,
} from "../src/envs/coin/coinGame.js";
import {
  FIXED_AGENT_LABELS,
  type LeagueMember,
  leagueCells,
  leaguePlayers,
  playLeague,
} from "../src/arena/coinLeague.js";
import {
  type CoinAgent,
  FIXED_COIN_AGENTS,
  type FixedCoinAgentName,
  fixedCoinAgent,
} from "../src/envs/coin/fixedAgents.js";
import { COIN_STREAM } from "../src/envs/coin/match.js";
import { neuralCoinAgentFromFile } from "../src/envs/coin/neuralAgent.js";
import { Rng } from "../src/util/rng.js";
import { fillSelect, readChoice, readNumber, showMessage } from "./form.js";
import { el } from "./svg.js";

const COLOURS = ["#c62828", "#1565c0"];
const CELL = 64;

interface Game {
  env: CoinGameEnv;
  state: CoinState;
  agents: [CoinAgent, CoinAgent];
  rngs: { env: Rng; seats: [Rng, Rng] };
  actions: Uint8Array;
  out: { rewards: Float64Array; pickups: Uint8Array };
  t: number;
  turns: number;
  totals: [number, number];
  own: [number, number];
  other: [number, number];
}

/** Agent files loaded into each seat: the select then shows `FILE_PREFIX + file name`. */
const FILE_PREFIX = "file: ";
const loaded: ({ name: string; text: string } | undefined)[] = [undefined, undefined];

function seatAgent(i: number, env: CoinGameEnv): CoinAgent {
  const label = i === 0 ? "red" : "blue";
  const id = `coin-agent${i + 1}`;
  const file = loaded[i];
  if (file && (document.getElementById(id) as HTMLSelectElement).value === FILE_PREFIX + file.name) {
    return neuralCoinAgentFromFile(file.text, env, file.name, label);
  }
  return fixedCoinAgent(readChoice(id, label, FIXED_COIN_AGENTS), env, label);
}

/** The league member a seat holds: its loaded file, or its fixed agent. */
function seatMember(i: number): LeagueMember {
  const who = i === 0 ? "red" : "blue";
  const id = `coin-agent${i + 1}`;
  const file = loaded[i];
  if (file && (document.getElementById(id) as HTMLSelectElement).value === FILE_PREFIX + file.name) {
    return {
      player: `${who}: ${file.name.replace(/\./g, "_")}`,
      member: file.name,
      agent: { agentFile: file.text },
    };
  }
  const name: FixedCoinAgentName = readChoice(id, who, FIXED_COIN_AGENTS);
  return { player: `${who}: ${name}`, member: name, agent: { fixed: name } };
}

/** The red seat's row of a league of red, blue and the three fixed agents (every pair once, as the kind plays). */
function leagueRow(): void {
  const message = document.getElementById("coin-message") as HTMLElement;
  const body = document.querySelector("#league-table tbody") as HTMLElement;
  body.replaceChildren();
  try {
    const games = readNumber({ id: "league-games", label: "games", min: 1, max: 4096, integer: true });
    const turns = readNumber({ id: "coin-turns", label: "turns", min: 1, max: 1000, integer: true });
    const height = readNumber({ id: "coin-height", label: "height", min: 2, max: 8, integer: true });
    const width = readNumber({ id: "coin-width", label: "width", min: 2, max: 8, integer: true });
    const seed = readNumber({ id: "coin-seed", label: "seed", min: 0, max: 2 ** 31 - 1, integer: true });
    const members: LeagueMember[] = [
      seatMember(0),
      seatMember(1),
      ...FIXED_COIN_AGENTS.map((name) => ({
        player: FIXED_AGENT_LABELS[name],
        member: name,
        agent: { fixed: name },
      })),
    ];
    const fields = members.map((m) => m.player);
    const pairs = playLeague(members, { games, turns, height, width, seed, bothSeats: false }, fields);
    const cells = leagueCells(members, pairs);
    const fmt = (x: number | null, digits: number) => (x === null ? "–" : x.toFixed(digits));
    leaguePlayers(members).forEach((opponent, q) => {
      const c = cells[0][q];
      const tr = document.createElement("tr");
      tr.dataset.opponent = opponent;
      tr.dataset.reward = String(c.rowReward.mean);
      tr.dataset.opponentReward = String(c.colReward.mean);
      tr.dataset.ownCoin = String(c.rowOwnCoin.mean);
      for (const text of [
        opponent,
        fmt(c.rowReward.mean, 3),
        fmt(c.colReward.mean, 3),
        fmt(c.rowOwnCoin.mean, 2),
        fmt(c.colOwnCoin.mean, 2),
      ]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      body.append(tr);
    });
    showMessage(message, undefined);
  } catch (error) {
    showMessage(message, error);
  }
}

function newGame(): Game {
  const height = readNumber({ id: "coin-height", label: "height", min: 2, max: 8, integer: true });
  const width = readNumber({ id: "coin-width", label: "width", min: 2, max: 8, integer: true });
  const turns = readNumber({ id: "coin-turns", label: "turns", min: 1, max: 1000, integer: true });
  const seed = readNumber({ id: "coin-seed", label: "seed", min: 0, max: 2 ** 31 - 1, integer: true });
  // One step longer than the game, so the last step shows the final board instead of auto-resetting it (the reset
  // would only draw after every draw of the game, so the game itself is the same as with episodeSteps = turns).
  const env = new CoinGameEnv({ height, width, episodeSteps: turns + 1 });
  // The streams of playCoinMatch (no keys): env, seat a, seat b.
  const rngs = {
    env: Rng.derive(seed, COIN_STREAM.env),
    seats: [Rng.derive(seed, COIN_STREAM.seatA), Rng.derive(seed, COIN_STREAM.seatB)] as [Rng, Rng],
  };
  const { state } = env.reset(rngs.env, 1);
  const agents = [seatAgent(0, env), seatAgent(1, env)] as [CoinAgent, CoinAgent];
  for (const a of agents) a.reset?.(1);
  return {
    env,
    state,
    agents,
    rngs,
    actions: new Uint8Array(AGENTS),
    out: { rewards: new Float64Array(AGENTS), pickups: new Uint8Array(AGENTS) },
    t: 0,
    turns,
    totals: [0, 0],
    own: [0, 0],
    other: [0, 0],
  };
}

/** One step of the game; returns a line for the log. */
function advance(g: Game): string {
  g.agents[0].act(g.state, 0, g.rngs.seats[0], g.actions);
  g.agents[1].act(g.state, 1, g.rngs.seats[1], g.actions);
  const moves = [...g.actions].map((a) => ACTION_NAMES[a]);
  g.env.stepInto(g.state, g.actions, g.rngs.env, g.out);
  g.t++;
  const notes: string[] = [];
  for (let i = 0; i < AGENTS; i++) {
    g.totals[i] += g.out.rewards[i];
    const who = i === 0 ? "red" : "blue";
    if (g.out.pickups[i] & PICKED_OWN) {
      g.own[i]++;
      notes.push(`${who} takes its own coin`);
    }
    if (g.out.pickups[i] & PICKED_OTHER) {
      g.other[i]++;
      notes.push(`${who} takes the other's coin`);
    }
  }
  const r = [...g.out.rewards].map((x) => (x > 0 ? `+${x}` : String(x)));
  return `t=${g.t}: red ${moves[0]}, blue ${moves[1]}; rewards ${r.join(" / ")}${notes.length ? `; ${notes.join(", ")}` : ""}`;
}

function draw(g: Game): void {
  const { height: H, width: W } = g.env.params;
  const board = document.getElementById("coin-board") as HTMLElement;
  board.replaceChildren();
  const svg = el("svg", { viewBox: `0 0 ${W * CELL} ${H * CELL}`, width: W * CELL, height: H * CELL }, board);
  for (let c = 0; c < H * W; c++) {
    const x = (c % W) * CELL;
    const y = Math.floor(c / W) * CELL;
    el("rect", { x, y, width: CELL, height: CELL, fill: "#fafafa", stroke: "#bbb" }, svg);
  }
  const centre = (cell: number) => [(cell % W) * CELL + CELL / 2, Math.floor(cell / W) * CELL + CELL / 2];
  const [cx, cy] = centre(g.state.coins[0]);
  el(
    "circle",
    { cx, cy, r: CELL / 7, fill: COLOURS[g.state.owner[0]], class: "coin", "data-cell": g.state.coins[0] },
    svg,
  );
  const same = g.state.pos[0] === g.state.pos[1];
  for (let i = 0; i < AGENTS; i++) {
    const [ax, ay] = centre(g.state.pos[i]);
    const dx = same ? (i === 0 ? -CELL / 6 : CELL / 6) : 0;
    el(
      "rect",
      {
        x: ax + dx - CELL / 5,
        y: ay - CELL / 5,
        width: (2 * CELL) / 5,
        height: (2 * CELL) / 5,
        rx: 6,
        fill: "none",
        stroke: COLOURS[i],
        "stroke-width": 4,
        class: `agent agent-${i}`,
        "data-cell": g.state.pos[i],
      },
      svg,
    );
  }
  for (let i = 0; i < AGENTS; i++) {
    (document.getElementById(`coin-r${i}`) as HTMLElement).textContent = String(g.totals[i]);
    (document.getElementById(`coin-m${i}`) as HTMLElement).textContent = g.t
      ? (g.totals[i] / g.t).toFixed(3)
      : "–";
    (document.getElementById(`coin-own${i}`) as HTMLElement).textContent = String(g.own[i]);
    (document.getElementById(`coin-oth${i}`) as HTMLElement).textContent = String(g.other[i]);
  }
  const summary = document.getElementById("coin-summary") as HTMLElement;
  summary.textContent = `turn ${g.t} of ${g.turns}${g.t === g.turns ? " (game over)" : ""}`;
  summary.dataset.t = String(g.t);
  summary.dataset.reward0 = String(g.totals[0]);
  summary.dataset.reward1 = String(g.totals[1]);
  summary.dataset.pickups = `${g.own[0]},${g.other[0]},${g.own[1]},${g.other[1]}`;
}

function setUp(): void {
  fillSelect("coin-agent1", FIXED_COIN_AGENTS, "always-defect");
  fillSelect("coin-agent2", FIXED_COIN_AGENTS, "always-cooperate");
  const message = document.getElementById("coin-message") as HTMLElement;
  const log = document.getElementById("coin-log") as HTMLElement;
  let game: Game | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
    (document.getElementById("coin-play") as HTMLElement).textContent = "play";
  };
  const start = () => {
    stop();
    try {
      game = newGame();
      showMessage(message, undefined);
    } catch (error) {
      game = undefined;
      showMessage(message, error);
      return;
    }
    log.replaceChildren();
    draw(game);
  };
  const step = () => {
    if (!game || game.t >= game.turns) return stop();
    const li = document.createElement("li");
    li.textContent = advance(game);
    log.prepend(li);
    draw(game);
  };
  for (const i of [0, 1]) {
    const picker = document.getElementById(`coin-file${i + 1}`) as HTMLInputElement;
    picker.addEventListener("change", async (event) => {
      event.stopPropagation(); // the form's change handler runs once the file is read
      const file = picker.files?.[0];
      if (!file) return;
      loaded[i] = { name: file.name, text: await file.text() };
      const select = document.getElementById(`coin-agent${i + 1}`) as HTMLSelectElement;
      select.replaceChildren(...FIXED_COIN_AGENTS.map((v) => new Option(v, v)));
      select.add(new Option(FILE_PREFIX + file.name, FILE_PREFIX + file.name, true, true));
      start();
    });
  }
  (document.getElementById("coin-form") as HTMLFormElement).addEventListener("change", start);
  (document.getElementById("coin-new") as HTMLElement).addEventListener("click", start);
  (document.getElementById("coin-step") as HTMLElement).addEventListener("click", step);
  (document.getElementById("coin-end") as HTMLElement).addEventListener("click", () => {
    stop();
    while (game && game.t < game.turns) step();
  });
  (document.getElementById("league-run") as HTMLElement).addEventListener("click", leagueRow);
  (document.getElementById("coin-play") as HTMLElement).addEventListener("click", () => {
    if (timer !== undefined) return stop();
    (document.getElementById("coin-play") as HTMLElement).textContent = "pause";
    timer = setInterval(step, 300);
  });
  start();
}

for (const form of document.querySelectorAll("form"))
  form.addEventListener("submit", (e) => e.preventDefault());
setUp();
document.body.dataset.ready = "true";
