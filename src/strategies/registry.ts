/**
 * The strategy zoo by name. `strategyByName("Tit For Tat", game)` returns the strategy whose display name (or
 * Axelrod repr) matches, parsing parameterised names: "Cycler CCD", "Random: 0.3", "GTFT: 0.1",
 * "Soft Go By Majority: 5", "Stochastic WSLS: 0.1", "ZD-Extort-2: 0.1111111111111111, 0.5" (Axelrod's str()),
 * "Generic Memory One Player: (1, 0, 1, 0), C" (or the short
 * "MemoryOne: 1,0,1,0,C", parentheses allowed). Matching ignores case and repeated spaces. An unknown name is an InputError that
 * suggests the closest names by edit distance.
 */
import type { MatrixGame } from "../games/game.js";
import { closestAmong, normaliseName } from "../util/closest.js";
import { InputError } from "../util/errors.js";
import { alternator } from "./alternator.js";
import { cooperator, defector } from "./cooperator.js";
import { cycler, NAMED_CYCLES } from "./cycler.js";
import { fsmPlayer } from "./fsm.js";
import { goByMajority, hardGoByMajority, softGoByMajority } from "./gobymajority.js";
import { grudger } from "./grudger.js";
import {
  firmButFair,
  gtft,
  memoryOne,
  softJoss,
  stochasticCooperator,
  stochasticWSLS,
  winShiftLoseStay,
  winStayLoseShift,
} from "./memoryone.js";
import { prober } from "./prober.js";
import { random } from "./rand.js";
import {
  bully,
  hardTitForTat,
  suspiciousTitForTat,
  titFor2Tats,
  titForTat,
  twoTitsForTat,
} from "./titfortat.js";
import type { Strategy } from "./types.js";
import { ZD_NAMED, zdExtort2, zdGtft2, zdNamed, zdSet2 } from "./zeroDeterminant.js";
import {
  firstByDavis,
  firstByDowning,
  firstByGrofman,
  firstByJoss,
  firstByNydegger,
  firstByShubik,
} from "./axelrodFirst.js";
import {
  secondByBorufsen,
  secondByGladstein,
  secondByGrofman,
  secondByMikkelson,
  secondByTester,
  secondByWeiner,
  secondByWhite,
  secondByYamachi,
} from "./axelrodSecond.js";
import { NAMED_MACHINES } from "./fsmZoo.js";
import {
  aggravater,
  capri,
  easyGo,
  forgetfulGrudger,
  grudgerAlternator,
  oppositeGrudger,
  softGrudger,
  spitefulCC,
} from "./grudgerVariants.js";
import { aon2, delayedAon1, mem2 } from "./memorytwo.js";
import { detective, hardProber, prober2, prober3, prober4 } from "./proberVariants.js";
import {
  foolMeOnce,
  inversePunisher,
  levelPunisher,
  onceBitten,
  punisher,
  RETALIATORS,
} from "./punishers.js";
import {
  adaptivePavlov2006,
  adaptivePavlov2011,
  alternatorHunter,
  appeaser,
  cooperatorHunter,
  defectorHunter,
  doubleResurrection,
  doubler,
  resurrection,
  shortMem,
  trickyCooperator,
  trickyDefector,
} from "./reactive.js";
import {
  adaptiveTitForTat,
  antiTitForTat,
  forgiver,
  forgivingTitForTat,
  gradual,
  hardTitFor2Tats,
  originalGradual,
  slowTitForTwoTats2,
  sneakyTitForTat,
  spitefulTitForTat,
} from "./titfortatVariants.js";

/** The 14 deterministic classics of the issue (and the benchmark's tournament), in a fixed order. */
export const DETERMINISTIC_CLASSICS = [
  "Cooperator",
  "Defector",
  "Tit For Tat",
  "Tit For 2 Tats",
  "Two Tits For Tat",
  "Suspicious Tit For Tat",
  "Grudger",
  "Win-Stay Lose-Shift",
  "Alternator",
  "Hard Tit For Tat",
  "Soft Go By Majority",
  "Bully",
  "Prober",
  "Cycler CCD",
] as const;

/** Fixed strategies that do not depend on the game. */
const FIXED: Strategy[] = [
  cooperator,
  defector,
  titForTat,
  titFor2Tats,
  twoTitsForTat,
  suspiciousTitForTat,
  grudger,
  winStayLoseShift,
  alternator,
  hardTitForTat,
  softGoByMajority,
  hardGoByMajority,
  bully,
  prober,
  ...NAMED_CYCLES.map((c) => cycler(c)),
  firmButFair,
  stochasticWSLS(),
  fsmPlayer(),
  // Axelrod's first and second tournaments (axelrodFirst.ts, axelrodSecond.ts; Colbert is a machine).
  firstByDavis(),
  firstByGrofman,
  firstByJoss,
  firstByNydegger,
  firstByShubik,
  secondByBorufsen,
  secondByGladstein,
  secondByGrofman,
  secondByMikkelson,
  secondByTester,
  secondByWeiner,
  secondByWhite,
  secondByYamachi,
  ...NAMED_MACHINES,
  antiTitForTat,
  hardTitFor2Tats,
  slowTitForTwoTats2,
  sneakyTitForTat,
  spitefulTitForTat,
  adaptiveTitForTat(),
  forgivingTitForTat,
  forgiver,
  gradual,
  originalGradual,
  forgetfulGrudger,
  oppositeGrudger,
  aggravater,
  softGrudger,
  grudgerAlternator,
  easyGo,
  spitefulCC,
  capri,
  prober2,
  prober3,
  prober4,
  hardProber,
  detective,
  punisher,
  inversePunisher,
  levelPunisher,
  ...RETALIATORS,
  onceBitten,
  foolMeOnce,
  appeaser,
  doubler,
  trickyCooperator,
  trickyDefector,
  resurrection,
  doubleResurrection,
  shortMem,
  adaptivePavlov2006,
  adaptivePavlov2011,
  aon2,
  delayedAon1,
  mem2,
  winShiftLoseStay,
  defectorHunter,
  cooperatorHunter,
  alternatorHunter,
  softJoss(),
  stochasticCooperator,
];

/** Every strategy of the zoo with its default parameters, for listing (`shapelab strategies`). */
export function zoo(game: MatrixGame): Strategy[] {
  const out = [...FIXED, random(0.5)];
  // Game-dependent ones are left out (with a note) when the game cannot define them.
  const gameDependent = [
    gtft,
    zdExtort2,
    zdGtft2,
    zdSet2,
    firstByDowning,
    ...ZD_NAMED.map((z) => (g: MatrixGame) => zdNamed(g, z.name)),
  ];
  for (const make of gameDependent) {
    try {
      out.push(make(game));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
    }
  }
  return out;
}

/** The edit-distance suggestion (src/util/closest.ts), for the callers that suggest strategy names too. */
export { closestAmong };

/** Names every lookup knows (defaults shown), for suggestions. */
export function knownNames(game: MatrixGame): string[] {
  return [...zoo(game).map((s) => s.name), "Random", "GTFT"];
}

/**
 * The `k` known names closest to `name` (case-insensitive edit distance); `extra` names (e.g. the learners a
 * command also accepts in the same place) compete with the strategies.
 */
export function closestNames(name: string, game: MatrixGame, k = 3, extra: readonly string[] = []): string[] {
  return closestAmong(name, [...new Set([...extra, ...knownNames(game)])], k);
}

function parseProbability(text: string, what: string): number {
  const p = Number(text);
  if (text.trim() === "" || !Number.isFinite(p) || p < 0 || p > 1) {
    throw new InputError("strategy", `${what}: expected a probability in [0, 1], got "${text}"`);
  }
  return p;
}

function parseMemoryOne(list: string, name: string): Strategy {
  const parts = list
    .replace(/[()]/g, "")
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x !== "");
  let initial: "C" | "D" = "C";
  const last = parts[parts.length - 1]?.toUpperCase();
  if (last === "C" || last === "D") {
    initial = last;
    parts.pop();
  }
  if (parts.length !== 4) {
    throw new InputError(
      "strategy",
      `"${name}": a memory-one player needs 4 probabilities (CC, CD, DC, DD) and C or D`,
    );
  }
  const v = parts.map((x) => parseProbability(x, name)) as [number, number, number, number];
  return memoryOne(v, initial);
}

/**
 * Split a list of strategy names on commas (or on semicolons, when there are any), keeping commas inside
 * parentheses: "Tit For Tat, MemoryOne: (1, 0, 1, 0), Grudger" has three names.
 */
export function splitNames(text: string): string[] {
  if (text.includes(";"))
    return text
      .split(";")
      .map((x) => x.trim())
      .filter((x) => x !== "");
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth = Math.max(0, depth - 1);
    if (ch === "," && depth === 0) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  // A lone C or D after a memory-one vector is its first move: "MemoryOne: (1, 0, 1, 0), D".
  const names: string[] = [];
  for (const raw of out.map((x) => x.trim()).filter((x) => x !== "")) {
    if (/^[CDcd]$/.test(raw) && names.length > 0 && names[names.length - 1].endsWith(")")) {
      names[names.length - 1] += `, ${raw}`;
    } else names.push(raw);
  }
  return names;
}

/**
 * FIXED by normalised name, and by Axelrod's `name` without the parameters its str() appends ("Retaliate" for
 * "Retaliate: 0.1"); the first strategy of a name wins, as a scan of FIXED in order would. Built on the first
 * lookup: a tournament looks up every player twice (its plan, then each range of matches).
 */
let fixedIndex: { byName: Map<string, Strategy>; byBaseName: Map<string, Strategy> } | undefined;

function fixedByName(): { byName: Map<string, Strategy>; byBaseName: Map<string, Strategy> } {
  if (fixedIndex === undefined) {
    const byName = new Map<string, Strategy>();
    const byBaseName = new Map<string, Strategy>();
    for (const s of FIXED) {
      const name = normaliseName(s.name);
      const base = normaliseName(s.name.replace(/: .*$/, ""));
      if (!byName.has(name)) byName.set(name, s);
      if (!byBaseName.has(base)) byBaseName.set(base, s);
    }
    fixedIndex = { byName, byBaseName };
  }
  return fixedIndex;
}

/** Look up a strategy by its display name; `field` names the flag for errors. */
export function strategyByName(name: string, game: MatrixGame, field = "strategy"): Strategy {
  const key = normaliseName(name);
  try {
    const fixed = fixedByName();
    const found = fixed.byName.get(key) ?? fixed.byBaseName.get(key);
    if (found !== undefined) return found;
    let m: RegExpMatchArray | null;
    if (key === "first by downing") return firstByDowning(game);
    if ((m = key.match(/^cycler:? ([cd]+)$/))) return cycler(m[1]);
    if (key === "random") return random(0.5);
    if ((m = key.match(/^random: (.+)$/))) return random(parseProbability(m[1], "Random"));
    if (key === "gtft") return gtft(game);
    if ((m = key.match(/^gtft: (.+)$/))) return gtft(game, parseProbability(m[1], "GTFT"));
    if ((m = key.match(/^(soft|hard) go by majority: (\d+)$/)))
      return goByMajority(m[1] === "soft", Number(m[2]));
    if ((m = key.match(/^stochastic wsls: (.+)$/)))
      return stochasticWSLS(parseProbability(m[1], "Stochastic WSLS"));
    if (key === "zd-extort-2") return zdExtort2(game);
    if (key === "zd-gtft-2") return zdGtft2(game);
    if (key === "zd-set-2") return zdSet2(game);
    // Axelrod's str() of the ZD players appends their parameters: "ZD-Extort-2: 0.1111111111111111, 0.5".
    if ((m = key.match(/^(zd-extort-2|zd-gtft-2|zd-set-2): (.+)$/))) {
      const values = m[2].split(",").map((x) => {
        const v = Number(x.trim());
        if (x.trim() === "" || !Number.isFinite(v))
          throw new InputError(field, `"${name}": parameters must be numbers`);
        return v;
      });
      const expected = m[1] === "zd-set-2" ? 3 : 2;
      if (values.length !== expected) {
        throw new InputError(
          field,
          `"${name}": expected ${expected} parameters (${expected === 3 ? "phi, s, l" : "phi, s"})`,
        );
      }
      if (m[1] === "zd-extort-2") return zdExtort2(game, values[0], values[1]);
      if (m[1] === "zd-gtft-2") return zdGtft2(game, values[0], values[1]);
      return zdSet2(game, values[0], values[1], values[2]);
    }
    for (const z of ZD_NAMED) {
      const zdKey = normaliseName(z.name);
      if (key === zdKey) return zdNamed(game, z.name);
      if (key.startsWith(`${zdKey}: `)) {
        const values = key
          .slice(zdKey.length + 2)
          .split(",")
          .map((x) => (x.trim() === "" ? Number.NaN : Number(x)));
        if (values.length !== 3 || !values.every(Number.isFinite)) {
          throw new InputError(field, `"${name}": expected 3 numbers (phi, s, l)`);
        }
        return zdNamed(game, z.name, values);
      }
    }
    if ((m = key.match(/^generic memory one player: \((.+)\),? *([cd])?$/))) {
      return parseMemoryOne(`${m[1]},${m[2] ?? "c"}`, name);
    }
    if ((m = key.match(/^memoryone: (.+)$/))) return parseMemoryOne(m[1], name);
  } catch (error) {
    if (error instanceof InputError && error.field !== field)
      throw new InputError(field, error.message.replace(/^[^:]+: /, ""));
    throw error;
  }
  const suggestions = closestNames(name, game);
  throw new InputError(
    field,
    `unknown strategy "${name}"; did you mean ${suggestions.map((s) => `"${s}"`).join(", ")}? (run \`shapelab strategies\` for the list)`,
  );
}
