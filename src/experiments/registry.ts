/**
 * The experiment kinds: each maps a validated config and a seed to results by calling one of the library's
 * entry points (exact values, exact learners, sampled learners, tournaments …). Add a kind by writing
 * `kinds/<name>.ts` and listing it here.
 */
import { requireOneOf } from "../util/errors.js";
import { arenaKind } from "./kinds/arena.js";
import { asymmetryKind } from "./kinds/asymmetry.js";
import { asymmetryCoinKind } from "./kinds/asymmetryCoin.js";
import { choiceEngineeringKind } from "./kinds/choiceEngineering.js";
import { coinTrainKind } from "./kinds/coinTrain.js";
import { coinLeagueKind } from "./kinds/coinLeague.js";
import { commonsHarvestKind } from "./kinds/commonsHarvest.js";
import { exactScheduleKind } from "./kinds/exactSchedule.js";
import { exactTrainKind } from "./kinds/exactTrain.js";
import { memoryOneKind } from "./kinds/memoryOne.js";
import { nAgentSampledKind } from "./kinds/nAgentSampled.js";
import { nPlayerArenaKind } from "./kinds/nPlayerArena.js";
import { nPlayerExactKind } from "./kinds/nPlayerExact.js";
import { sampledTrainKind } from "./kinds/sampledTrain.js";
import { sandbaggingCoinKind } from "./kinds/sandbaggingCoin.js";
import { tournamentKind } from "./kinds/tournament.js";
import { metaShaperKind } from "./kinds/treacherousTurn.js";
import { trustMaxFairKind } from "./kinds/trustMaxFair.js";
import { workedExampleKind } from "./kinds/workedExample.js";
import type { ExperimentKind } from "./types.js";

export const KINDS: Record<string, ExperimentKind> = Object.fromEntries(
  [
    workedExampleKind,
    memoryOneKind,
    exactTrainKind,
    sampledTrainKind,
    tournamentKind,
    arenaKind,
    nPlayerExactKind,
    nAgentSampledKind,
    nPlayerArenaKind,
    choiceEngineeringKind,
    metaShaperKind,
    exactScheduleKind,
    asymmetryKind,
    trustMaxFairKind,
    coinTrainKind,
    coinLeagueKind,
    commonsHarvestKind,
    asymmetryCoinKind,
    sandbaggingCoinKind,
  ].map((k) => [k.name, k]),
);

export const KIND_NAMES = Object.keys(KINDS);

export function getKind(name: string, field = "kind"): ExperimentKind {
  return KINDS[requireOneOf(field, name, KIND_NAMES)];
}
