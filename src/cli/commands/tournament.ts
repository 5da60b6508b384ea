/**
 * `shapelab tournament`: an Axelrod-style round robin over worker threads, with a ranked table, JSON, and a
 * payoff-matrix heatmap. `shapelab moran`: the Moran process (birth–death, optional mutation) or, with
 * --ecological, replicator dynamics on a tournament's payoff matrix.
 */
import { join } from "node:path";
import type { Command } from "commander";
import { DEFAULT_TURNS, MAX_TURNS } from "../../arena/match.js";
import { DEFAULT_MORAN_STEPS, runEcosystem, runMoran } from "../../arena/moran.js";
import { DEFAULT_REPETITIONS, type TournamentResult } from "../../arena/tournament.js";
import type { MatrixGame } from "../../games/game.js";
import { createProgress } from "../../node/progress.js";
import { runTournamentParallel } from "../../node/tournamentPool.js";
import { heatmapRows, heatmapSpec, payoffMatrixHeatmap } from "../../report/heatmap.js";
import { populationRows, populationSpec } from "../../report/populationChart.js";
import { DETERMINISTIC_CLASSICS, splitNames } from "../../strategies/registry.js";
import { LIMITS } from "../../util/limits.js";
import { InputError } from "../../util/errors.js";
import { parseCount, parseNumber, parseSeed, parseWorkers, resolveGame } from "../options.js";
import { addCoinOptions, type CoinFlags, isCoinEnv } from "../coinFlags.js";
import { mkdirSync, writeFileSync } from "node:fs";
import { ensureWritableDir } from "../../node/files.js";
import { fixed } from "../../util/format.js";
import { jsonDocument, toJsonText } from "../jsonOutput.js";
import { DEFAULT_GAME, DEFAULT_GAME_HELP } from "../presets.js";
import { GAME_PRESET_NAMES } from "../../games/presets.js";

interface TournamentFlags extends CoinFlags {
  players?: string;
  turns?: string;
  repetitions: string;
  noise: string;
  probEnd: string;
  seed: string;
  workers?: string;
  game?: string;
  payoffs?: string;
  json?: boolean;
  out?: string;
  quiet?: boolean;
}

/** The JSON of a tournament (src/cli/jsonOutput.ts style): its config, Axelrod's result fields, per-player summaries. */
export function tournamentJson(r: TournamentResult, game: MatrixGame) {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const config = {
    game: game.name,
    payoffs: { agent1: game.r1, agent2: game.r2 },
    players: r.players,
    /** Turns per match (with probEnd > 0: the cap on the geometric length). */
    turns: r.turns,
    repetitions: r.repetitions,
    noise: r.noise,
    probEnd: r.probEnd,
    seed: r.seed,
  };
  return jsonDocument("tournament", config, {
    matches: r.matches,
    rankedNames: r.rankedNames,
    ranking: r.ranking,
    normalisedScores: r.meanNormalisedScores,
    medianNormalisedScores: r.medianNormalisedScores,
    normalisedScoresByRepetition: r.normalisedScores,
    scores: r.scores,
    payoffMatrix: r.payoffMatrix,
    payoffStddevs: r.payoffStddevs,
    wins: r.wins.map(sum),
    winsByRepetition: r.wins,
    cooperation: r.cooperatingRating,
    cooperationMatrix: r.cooperation,
    normalisedCooperation: r.normalisedCooperation,
    stateDistribution: r.stateDistribution,
  });
}

export async function writeTournamentOutputs(
  r: TournamentResult,
  game: MatrixGame,
  dir: string,
): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  // Loaded on demand: vega and resvg take ~1 s to import, which a plain tournament should not pay.
  const { writeFigure } = await import("../../node/figures.js");
  const input = payoffMatrixHeatmap(r.players, r.payoffMatrix);
  const files = await writeFigure(
    heatmapSpec(input, {
      title: `Tournament payoffs (${game.name}, ${r.turns} turns, ${r.repetitions} repetitions)`,
      colorTitle: "row's payoff",
    }),
    heatmapRows(input),
    join(dir, "payoff-matrix"),
  );
  const json = join(dir, "tournament.json");
  writeFileSync(json, toJsonText(tournamentJson(r, game)));
  return [files.svg, files.png, files.csv, json];
}

export function registerTournament(program: Command): void {
  const command = program
    .command("tournament")
    .summary("a round-robin tournament (Axelrod semantics)")
    .description(
      "round-robin tournament (Axelrod semantics): every pair plays --repetitions matches; self-play is played " +
        "but left out of scores; players are ranked by their median normalised score (mean score per turn)",
    )
    .option(
      "--players <names>",
      'comma-separated strategy names (";" also separates); default: the 14 deterministic classics',
    )
    .option(
      "--turns <n>",
      `turns per match (default ${DEFAULT_TURNS}); with --prob-end, the cap on the geometric length (default ${MAX_TURNS.toLocaleString("en")})`,
    )
    .option("--repetitions <r>", "matches per pair", String(DEFAULT_REPETITIONS))
    .option("--noise <x>", "probability of flipping each intended move", "0")
    .option("--prob-end <p>", "probability that a match ends after each turn", "0")
    .option("--seed <s>", "seed: each match uses the stream (seed, i, j, repetition)", "0")
    .option(
      "--workers <k>",
      "worker threads (0 = this thread; default: timed from the first matches, workers only where they save time)",
    )
    .option("--game <preset>", `game preset: ${GAME_PRESET_NAMES.join(", ")}; ${DEFAULT_GAME_HELP}`)
    .option("--payoffs <R,S,T,P>", "custom payoffs instead of --game")
    .option("--json", "print JSON (rankedNames, normalisedScores, payoffMatrix, wins, cooperation, …)")
    .option("--out <dir>", "write payoff-matrix.{svg,png,csv,vl.json} (heatmap) and tournament.json to <dir>")
    .option("--quiet", "no progress output")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab tournament              # the 14 deterministic classics: Grudger first, Tit For Tat second\n" +
        '  shapelab tournament --players "Tit For Tat, Grudger, GTFT, ZD-Extort-2, Random: 0.5" --noise 0.05 --seed 7\n' +
        "  shapelab tournament --repetitions 10 --out out/tournament   # heatmap SVG/PNG/CSV + tournament.json\n" +
        "  shapelab tournament --env coin --turns 16   # the Coin Game's fixed agents: always-defect first",
    );
  addCoinOptions(command) // --env coin: the Coin Game's fixed agents (src/cli/commands/coinMatch.ts)
    .action(async (flags: TournamentFlags) => {
      if (isCoinEnv(flags)) return (await import("./coinMatch.js")).runCoinTournament(flags);
      if (flags.out !== undefined) ensureWritableDir(flags.out, "--out");
      const game = resolveGame(flags, DEFAULT_GAME);
      const players = flags.players !== undefined ? splitNames(flags.players) : [...DETERMINISTIC_CLASSICS];
      const options = {
        turns: flags.turns !== undefined ? parseCount("--turns", flags.turns, "turns") : undefined,
        repetitions: parseCount("--repetitions", flags.repetitions, "repetitions"),
        noise: parseNumber("--noise", flags.noise, { min: 0, max: 1 }),
        probEnd: parseNumber("--prob-end", flags.probEnd, { min: 0, max: 1 }),
        seed: parseSeed(flags.seed),
        workers: parseWorkers(flags.workers),
      };
      let progress: ReturnType<typeof createProgress> | undefined;
      const started = performance.now();
      const result = await runTournamentParallel(players, game, {
        ...options,
        onProgress: (done, total) => {
          // A bar only for tournaments long enough to watch (≳ 1 s: 5 million turns).
          const long = total * (options.turns ?? DEFAULT_TURNS) >= 5_000_000;
          progress ??= createProgress("tournament", total, { quiet: flags.quiet || flags.json || !long });
          progress.update(done);
        },
      });
      progress?.stop();
      const seconds = (performance.now() - started) / 1000;
      const files = flags.out ? await writeTournamentOutputs(result, game, flags.out) : [];
      if (flags.json) {
        process.stdout.write(toJsonText(tournamentJson(result, game)));
        return;
      }
      const w = Math.max(...result.players.map((p) => p.length), 4);
      process.stdout.write(
        `${result.players.length} players, ${result.matches} matches (${result.repetitions} repetitions), ` +
          `${result.turns} turns, game ${game.name}, ${fixed(seconds, 2)} s\n`,
      );
      process.stdout.write(`rank  ${"name".padEnd(w)}  median  mean    wins  cooperation\n`);
      result.ranking.forEach((i, k) => {
        const wins = result.wins[i].reduce((a, b) => a + b, 0);
        process.stdout.write(
          `${String(k + 1).padStart(4)}  ${result.players[i].padEnd(w)}  ${fixed(result.medianNormalisedScores[i], 3)}   ` +
            `${fixed(result.meanNormalisedScores[i], 3)}  ${String(wins).padStart(4)}  ${fixed(result.cooperatingRating[i], 3)}\n`,
        );
      });
      for (const f of files) process.stdout.write(`wrote ${f}\n`);
    });
}

interface MoranFlags {
  population: string;
  turns: string;
  noise: string;
  mutation: string;
  steps?: string;
  seed: string;
  ecological?: boolean;
  repetitions: string;
  game?: string;
  payoffs?: string;
  json?: boolean;
  out?: string;
}

/**
 * `moran --out <dir>`: the population over time as a stacked area chart (population.{svg,png,csv,vl.json}) and the
 * command's JSON as moran.json. Counts for the Moran process, shares for replicator dynamics.
 */
async function writeMoranOutputs(
  dir: string,
  types: string[],
  populations: number[][],
  json: object,
  how: { title: string; yTitle: string },
): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  // Loaded on demand, as for the tournament: vega and resvg are slow to import.
  const { writeFigure } = await import("../../node/figures.js");
  const files = await writeFigure(
    populationSpec(how),
    populationRows(types, populations),
    join(dir, "population"),
  );
  const jsonFile = join(dir, "moran.json");
  writeFileSync(jsonFile, toJsonText(json));
  return [files.svg, files.png, files.csv, jsonFile];
}

/** "Tit For Tat=3, Defector=2, Cooperator" → individuals (a name without =k counts once). */
export function parsePopulation(text: string): string[] {
  const out: string[] = [];
  for (const item of splitNames(text)) {
    const m = item.match(/^(.*?)\s*=\s*(\d+)$/);
    const name = m ? m[1] : item;
    const count = m ? Number(m[2]) : 1;
    if (count < 1) throw new InputError("--population", `count for "${name}" must be ≥ 1`);
    // Checked before the list is built: "X=99999999999" would otherwise exhaust memory.
    if (out.length + count > LIMITS.population)
      throw new InputError("--population", `at most ${LIMITS.population} individuals in all, got more`);
    for (let k = 0; k < count; k++) out.push(name);
  }
  return out;
}

export function registerMoran(program: Command): void {
  program
    .command("moran")
    .summary("population dynamics: Moran process or replicator dynamics")
    .description(
      "population dynamics: the Moran process (birth ∝ fitness, death uniform; optional mutation), or with " +
        "--ecological, replicator dynamics on the payoff matrix of a tournament between the types",
    )
    .requiredOption("--population <list>", 'individuals, e.g. "Tit For Tat=3, Defector=2, Cooperator=1"')
    .option("--turns <n>", "turns per match", "100")
    .option("--noise <x>", "probability of flipping each intended move", "0")
    .option("--mutation <rate>", "probability that an offspring is of another (uniformly chosen) type", "0")
    .option("--steps <n>", "maximum steps (Moran default 10000; ecological default 100)")
    .option("--seed <s>", "seed", "0")
    .option("--ecological", "replicator dynamics on tournament payoffs instead of the Moran process")
    .option("--repetitions <r>", "repetitions of the tournament behind --ecological", "1")
    .option("--game <preset>", `game preset: ${GAME_PRESET_NAMES.join(", ")}; ${DEFAULT_GAME_HELP}`)
    .option("--payoffs <R,S,T,P>", "custom payoffs instead of --game")
    .option("--json", "print JSON")
    .option("--out <dir>", "write population.{svg,png,csv,vl.json} (the population over time) and moran.json")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        '  shapelab moran --population "Tit For Tat=3, Defector=2, Cooperator=2" --turns 50 --seed 1\n' +
        '  shapelab moran --population "Tit For Tat, Defector=2, Grudger" --mutation 0.05 --steps 500 --out out/moran\n' +
        '  shapelab moran --population "Tit For Tat, Defector, Cooperator, Grudger" --ecological --steps 200\n' +
        "     # replicator dynamics: Defector dies out",
    )
    .action(async (flags: MoranFlags) => {
      const game = resolveGame(flags, DEFAULT_GAME);
      const population = parsePopulation(flags.population);
      const turns = parseCount("--turns", flags.turns, "turns");
      const noise = parseNumber("--noise", flags.noise, { min: 0, max: 1 });
      const seed = parseSeed(flags.seed);
      if (flags.ecological) {
        const types = [...new Set(population)];
        const counts = types.map((t) => population.filter((x) => x === t).length);
        const repetitions = parseCount("--repetitions", flags.repetitions, "repetitions");
        const t = await runTournamentParallel(types, game, { turns, noise, seed, repetitions });
        const steps = flags.steps !== undefined ? parseCount("--steps", flags.steps, "moranSteps", 0) : 100;
        const eco = runEcosystem(t.players, t.payoffMatrix, { steps, initial: counts });
        const config = { game: game.name, payoffs: { agent1: game.r1, agent2: game.r2 }, ecological: true };
        const json = jsonDocument(
          "moran",
          { ...config, population, turns, noise, seed, repetitions, steps },
          {
            ...eco,
            payoffMatrix: t.payoffMatrix,
          },
        );
        const files = flags.out
          ? await writeMoranOutputs(flags.out, eco.names, eco.shares, json, {
              title: `Replicator dynamics (${game.name}, ${turns} turns per match)`,
              yTitle: "share of the population",
            })
          : [];
        if (flags.json) {
          process.stdout.write(toJsonText(json));
          return;
        }
        const final = eco.shares[eco.shares.length - 1];
        process.stdout.write(`replicator dynamics, ${steps} steps; final shares:\n`);
        t.players.forEach((name, i) => process.stdout.write(`  ${name.padEnd(28)} ${fixed(final[i], 4)}\n`));
        for (const f of files) process.stdout.write(`wrote ${f}\n`);
        return;
      }
      const mutationRate = parseNumber("--mutation", flags.mutation, { min: 0, max: 1 });
      const maxSteps =
        flags.steps !== undefined ? parseCount("--steps", flags.steps, "moranSteps", 0) : undefined;
      const result = runMoran(population, game, { turns, noise, mutationRate, steps: maxSteps, seed });
      const config = { game: game.name, payoffs: { agent1: game.r1, agent2: game.r2 }, ecological: false };
      const json = jsonDocument(
        "moran",
        {
          ...config,
          population,
          turns,
          noise,
          mutationRate,
          maxSteps: maxSteps ?? DEFAULT_MORAN_STEPS,
          seed,
        },
        result as unknown as Record<string, unknown>,
      );
      const files = flags.out
        ? await writeMoranOutputs(flags.out, result.types, result.populations, json, {
            title: `Moran process (${game.name}, ${turns} turns per match)`,
            yTitle: "individuals",
          })
        : [];
      if (flags.json) {
        process.stdout.write(toJsonText(json));
        return;
      }
      const last = result.populations[result.populations.length - 1];
      process.stdout.write(
        `Moran process, ${result.steps} steps; ${result.winner ? `fixation: ${result.winner}` : "no fixation"}\n`,
      );
      result.types.forEach((name, i) => process.stdout.write(`  ${name.padEnd(28)} ${last[i]}\n`));
      for (const f of files) process.stdout.write(`wrote ${f}\n`);
    });
}
