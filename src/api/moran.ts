/**
 * `moran(population).play()`: the Moran process with the ergonomics of Axelrod's
 * `axl.MoranProcess(players).play()` / `.populations_plot()`, on src/arena/moran.ts (every step all pairs of
 * individuals play a match; one individual reproduces with probability ∝ its fitness, the sum of its scores per
 * turn; the offspring, of another uniformly chosen type with probability `mutationRate`, replaces a uniformly
 * chosen individual; without mutation it stops at fixation). `plot()` is the population over time as an SVG
 * stacked area chart, the same figure as `shapelab moran --out`.
 */
import { type MoranOptions, type MoranResult, runMoran } from "../arena/moran.js";
import type { StrategySpec } from "../arena/tournament.js";
import type { MatrixGame } from "../games/game.js";
import { populationRows, populationSpec } from "../report/populationChart.js";
import { renderSvg, withData } from "../report/render.js";
import { type GameInput, resolveGameInput } from "./game.js";

export interface MoranSettings extends MoranOptions {
  /** A preset name or a MatrixGame (default `ipd`). */
  game?: GameInput;
}

export interface MoranResults extends MoranResult {
  /** The population over time (count of each type after every step) as an SVG string. */
  plot(): Promise<string>;
}

export interface Moran {
  population: StrategySpec[];
  game: MatrixGame;
  play(): MoranResults;
}

/** `population` lists individuals: `["Tit For Tat", "Tit For Tat", "Defector"]` is two TFTs and one Defector. */
export function moran(population: readonly StrategySpec[], settings: MoranSettings = {}): Moran {
  const { game: gameInput, ...options } = settings;
  const game = resolveGameInput(gameInput, "ipd");
  const individuals = [...population];
  return {
    population: individuals,
    game,
    play: () => {
      const result = runMoran(individuals, game, options);
      return {
        ...result,
        plot: () =>
          renderSvg(
            withData(
              populationSpec({ title: `Moran process (${game.name})`, yTitle: "individuals" }),
              populationRows(result.types, result.populations),
            ),
          ),
      };
    },
  };
}
