/**
 * The tournament page: pick strategies and match options, play the round robin in the page
 * (./tournamentModel.ts), and show the ranking (Axelrod's: median normalised score) and the payoff heatmap (mean
 * score per turn of the row player against the column player, players in ranking order). Clicking a cell replays
 * that match of the tournament and shows its moves. Re-runs when the form settles; settings live in the URL; the
 * results and the heatmap can be exported.
 */
import type { TournamentResult } from "../src/arena/tournament.js";
import { GAME_PRESET_NAMES } from "../src/games/presets.js";
import { DETERMINISTIC_CLASSICS, zoo } from "../src/strategies/registry.js";
import { InputError } from "../src/util/errors.js";
import { csvText, exportButtons } from "./exports.js";
import { fillSelect, input, onSettledChange, readChoice, readNumber, showMessage } from "./form.js";
import { settingsGame } from "./gameSetting.js";
import { el } from "./svg.js";
import {
  DEFAULT_TOURNAMENT,
  runPageTournament,
  type TournamentSettings,
  tournamentMatch,
} from "./tournamentModel.js";
import { restoreFromUrl, saveToUrl } from "./urlState.js";

function readSettings(): TournamentSettings {
  const picker = input("tn-players") as HTMLSelectElement;
  const players = [...picker.selectedOptions].map((o) => o.value);
  if (players.length < 2)
    throw new InputError("players", `pick at least 2 strategies, got ${players.length}`);
  return {
    game: readChoice("tn-game", "game", GAME_PRESET_NAMES),
    payoffs: input("tn-payoffs").value,
    players,
    turns: readNumber({ id: "tn-turns", label: "turns", min: 1, max: 10_000, integer: true }),
    repetitions: readNumber({ id: "tn-repetitions", label: "repetitions", min: 1, max: 100, integer: true }),
    noise: readNumber({ id: "tn-noise", label: "noise", min: 0, max: 1 }),
    probEnd: readNumber({ id: "tn-prob-end", label: "prob-end", min: 0, max: 1 }),
    seed: readNumber({ id: "tn-seed", label: "seed", min: 0, max: 2 ** 31 - 1, integer: true }),
  };
}

/** Diverging colour for t in [0, 1]: red (low) through white to blue (high). */
function heatColor(t: number): string {
  const low = [178, 24, 43];
  const mid = [247, 247, 247];
  const high = [33, 102, 172];
  const [a, b, u] = t < 0.5 ? [low, mid, t / 0.5] : [mid, high, (t - 0.5) / 0.5];
  return `rgb(${a.map((v, k) => Math.round(v + (b[k] - v) * u)).join(",")})`;
}

function drawRanking(container: HTMLElement, r: TournamentResult): void {
  const table = document.createElement("table");
  table.innerHTML =
    "<thead><tr><th>rank</th><th>strategy</th><th>median score per turn</th><th>mean</th><th>wins</th>" +
    "<th>cooperation rating</th></tr></thead>";
  const body = table.createTBody();
  r.ranking.forEach((i, k) => {
    const row = body.insertRow();
    row.dataset.player = r.players[i];
    row.dataset.median = String(r.medianNormalisedScores[i]);
    const wins = r.wins[i].reduce((a, b) => a + b, 0);
    for (const text of [
      String(k + 1),
      r.players[i],
      r.medianNormalisedScores[i].toFixed(3),
      r.meanNormalisedScores[i].toFixed(3),
      String(wins),
      r.cooperatingRating[i].toFixed(3),
    ])
      row.insertCell().textContent = text;
  });
  container.replaceChildren(table);
  container.dataset.ranked = JSON.stringify(r.rankedNames);
  container.dataset.runs = String(Number(container.dataset.runs ?? 0) + 1);
}

function drawHeatmap(
  container: HTMLElement,
  r: TournamentResult,
  onCell: (row: number, column: number) => void,
) {
  const n = r.players.length;
  const order = r.ranking;
  const cell = Math.max(14, Math.min(40, Math.floor(520 / n)));
  const left = 8 + 6.2 * Math.max(...r.players.map((p) => p.length));
  const top = left;
  const size = { width: left + n * cell + 10, height: top + n * cell + 10 };
  const svg = el("svg", { viewBox: `0 0 ${size.width} ${size.height}`, ...size, role: "img" });
  container.replaceChildren(svg);
  const values = r.payoffMatrix.flat();
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  order.forEach((i, a) => {
    el("text", { x: left - 4, y: top + a * cell + cell / 2 + 4, "text-anchor": "end" }, svg).textContent =
      r.players[i];
    const x = left + a * cell + cell / 2 + 4;
    el("text", { x, y: top - 4, transform: `rotate(-90 ${x} ${top - 4})` }, svg).textContent = r.players[i];
    order.forEach((j, b) => {
      const v = r.payoffMatrix[i][j];
      const rect = el(
        "rect",
        {
          x: left + b * cell,
          y: top + a * cell,
          width: cell - 1,
          height: cell - 1,
          fill: heatColor(hi > lo ? (v - lo) / (hi - lo) : 0.5),
          class: "cell",
          "data-row": i,
          "data-column": j,
          "data-value": v,
        },
        svg,
      );
      el("title", {}, rect).textContent = `${r.players[i]} against ${r.players[j]}: ${v.toFixed(3)} per turn`;
      rect.addEventListener("click", () => onCell(i, j));
      if (cell >= 28)
        el(
          "text",
          {
            x: left + b * cell + cell / 2,
            y: top + a * cell + cell / 2 + 4,
            "text-anchor": "middle",
            "pointer-events": "none",
          },
          svg,
        ).textContent = v.toFixed(1);
    });
  });
}

function showMatch(container: HTMLElement, settings: TournamentSettings, row: number, column: number): void {
  const repetition =
    readNumber({
      id: "tn-repetition",
      label: "repetition",
      min: 1,
      max: settings.repetitions,
      integer: true,
    }) - 1;
  const m = tournamentMatch(settings, row, column, repetition);
  const heading = document.createElement("p");
  heading.textContent =
    `${m.names[0]} against ${m.names[1]}, repetition ${repetition + 1}: ${m.turns} turns, scores ` +
    `${m.scores[0]} – ${m.scores[1]} (${(m.scores[0] / m.turns).toFixed(3)} – ${(m.scores[1] / m.turns).toFixed(3)} per turn), ` +
    `cooperations ${m.cooperations[0]} – ${m.cooperations[1]}${m.winner ? `; ${m.winner} wins` : "; a tie"}.`;
  const moves = document.createElement("div");
  moves.className = "moves";
  m.actions.forEach((line, k) => {
    const label = document.createElement("div");
    label.className = "note";
    label.textContent = m.names[k];
    const code = document.createElement("code");
    code.id = `tn-moves-${k + 1}`;
    for (const ch of line) {
      const span = document.createElement("span");
      span.className = ch === "C" ? "move-c" : "move-d";
      span.textContent = ch;
      code.append(span);
    }
    moves.append(label, code);
  });
  container.replaceChildren(heading, moves);
  container.dataset.row = String(row);
  container.dataset.column = String(column);
  container.dataset.scores = JSON.stringify(m.scores);
  container.dataset.turns = String(m.turns);
}

function tournamentCsv(r: TournamentResult): string {
  const rows = r.players.flatMap((p, i) =>
    r.players.map((q, j) => [
      p,
      q,
      r.payoffMatrix[i][j],
      r.payoffStddevs[i][j],
      r.normalisedCooperation[i][j],
    ]),
  );
  return csvText(["player", "opponent", "mean_score_per_turn", "sd_score_per_turn", "cooperation"], rows);
}

export function setUpTournamentPanel(): void {
  const d = DEFAULT_TOURNAMENT;
  fillSelect("tn-game", GAME_PRESET_NAMES, d.game);
  const form = document.getElementById("tn-form") as HTMLFormElement;
  const picker = input("tn-players") as HTMLSelectElement;
  const fillPicker = (selected: readonly string[]) => {
    let names: string[];
    try {
      names = zoo(settingsGame({ game: input("tn-game").value, payoffs: input("tn-payoffs").value })).map(
        (s) => s.name,
      );
    } catch {
      return; // bad payoffs: readSettings reports them
    }
    const chosen = new Set(selected);
    // A chosen name the zoo does not list (a mistyped link) stays, so the tournament's error names it.
    const unknown = selected.filter((name) => name !== "" && !names.includes(name));
    picker.replaceChildren(
      ...[...names, ...unknown].map((name) => new Option(name, name, false, chosen.has(name))),
    );
  };
  const values: Record<string, number | string> = {
    "tn-payoffs": d.payoffs,
    "tn-turns": d.turns,
    "tn-repetitions": d.repetitions,
    "tn-noise": d.noise,
    "tn-prob-end": d.probEnd,
    "tn-seed": d.seed,
  };
  for (const [id, value] of Object.entries(values)) input(id).value = String(value);
  fillPicker(d.players);
  restoreFromUrl([form]);
  // The picker's names depend on the game (GTFT and the ZD strategies take the payoffs): list them for the restored game.
  fillPicker(new URLSearchParams(location.search).get("tn-players")?.split(";") ?? d.players);

  const message = document.getElementById("tn-message")!;
  const results = document.getElementById("tn-results")!;
  const matchView = document.getElementById("tn-match")!;
  let shown: { settings: TournamentSettings; result: TournamentResult } | undefined;
  let clicked: [number, number] | undefined;
  const replay = () => {
    if (!shown || !clicked) return;
    try {
      showMatch(matchView, shown.settings, ...clicked);
      showMessage(message, undefined);
    } catch (error) {
      showMessage(message, error);
    }
  };
  exportButtons(document.getElementById("tn-export")!, {
    basename: "shapelab-tournament",
    json: () => (shown ? { settings: shown.settings, ...shown.result } : null),
    csv: () => (shown ? tournamentCsv(shown.result) : ""),
    figures: () => ({ heatmap: document.querySelector<SVGSVGElement>("#tn-heatmap svg") }),
  });
  const update = () => {
    try {
      const settings = readSettings();
      saveToUrl([form]);
      const started = performance.now();
      const result = runPageTournament(settings);
      const ms = performance.now() - started;
      shown = { settings, result };
      drawRanking(document.getElementById("tn-ranking")!, result);
      drawHeatmap(document.getElementById("tn-heatmap")!, result, (row, column) => {
        clicked = [row, column];
        replay();
      });
      document.getElementById("tn-note")!.textContent =
        `${result.players.length} players, ${result.matches} matches (${result.repetitions} repetitions of each ` +
        `pair, self-play included but not scored), ${result.turns} turns, game ${settingsGame(settings).name}, seed ` +
        `${result.seed}; played in ${ms.toFixed(0)} ms. The same on the command line: shapelab tournament ` +
        `--players "${settings.players.join(";")}" --turns ${settings.turns} --repetitions ${settings.repetitions} ` +
        `--noise ${settings.noise} --prob-end ${settings.probEnd} --seed ${settings.seed} ` +
        (settings.payoffs.trim() ? `--payoffs ${settings.payoffs.trim()}` : `--game ${settings.game}`);
      clicked = undefined;
      matchView.replaceChildren();
      results.classList.remove("stale");
      showMessage(message, undefined);
    } catch (error) {
      results.classList.add("stale");
      showMessage(message, error);
    }
  };
  for (const id of ["tn-game", "tn-payoffs"])
    input(id).addEventListener("change", () => fillPicker([...picker.selectedOptions].map((o) => o.value)));
  input("tn-repetition").addEventListener("change", replay);
  const pick = (id: string, chosen: (name: string) => boolean) =>
    document.getElementById(id)!.addEventListener("click", () => {
      for (const option of picker.options) option.selected = chosen(option.value);
      picker.dispatchEvent(new Event("change", { bubbles: true }));
    });
  pick("tn-pick-classics", (name) => (DETERMINISTIC_CLASSICS as readonly string[]).includes(name));
  pick("tn-pick-all", () => true);
  onSettledChange(form, 250, update);
  update();
}
