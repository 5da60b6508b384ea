"""Generate test/fixtures/axelrod-moves.json: the Axelrod library's own moves for every zoo strategy.

Usage (from the repository root, with the Axelrod 4.x source on PYTHONPATH; it is not vendored here):
    PYTHONPATH=/tmp/axelrod-src /usr/bin/python3 bench/peers/axelrod_fixtures.py > test/fixtures/axelrod-moves.json

For each strategy (an Axelrod class, named by its Axelrod str(), which is shapelab's display name) it records:
- the classifier as Axelrod computes it for the instance (memory depth, stochastic, makes_use_of "game");
- for a memory-one player, its first move and four-vector (own-view order CC, CD, DC, DD), exact floats;
- for a deterministic player, its moves in a 150-turn match (Axelrod's default game (R, P, S, T) = (3, 1, 0, 5), no
  noise) against every opponent of a fixed panel: ten deterministic strategies, itself, and two fixed pseudo-random
  sequences played by a MockPlayer (cycled, as in Axelrod's tests). Those sequences come from a 31-bit LCG with a
  fixed seed, so the file does not depend on any RNG stream.
Move strings are run-length coded ("C3DC2" is CCCDCC).
Stochastic players are not matched move by move: Axelrod draws from numpy's Mersenne Twister and shapelab from its
own generator, so equal seeds cannot give equal moves. Their classifier and (memory-one) four-vector are pinned, and
their cooperation rate over 200 seeded 150-turn matches against four opponents, which the test compares with
shapelab's own rate within a tolerance.
"""
import json
import sys

import axelrod as axl

TURNS = 150

# Axelrod classes the zoo implements; the key is how shapelab names the strategy (Axelrod's str()).
STRATEGIES = [
    # Already in the zoo before the fixtures existed.
    "Cooperator", "Defector", "TitForTat", "TitFor2Tats", "TwoTitsForTat", "SuspiciousTitForTat", "Grudger",
    "WinStayLoseShift", "Alternator", "HardTitForTat", "GoByMajority", "HardGoByMajority", "Bully", "Prober",
    "CyclerCCD", "CyclerDC", "CyclerDDC", "CyclerCCCD", "CyclerCCCCCD", "CyclerCCCDCD", "FirmButFair",
    "StochasticWSLS", "ZDExtort2", "ZDGTFT2", "ZDSet2", "GTFT",
    # Axelrod's first tournament (1980).
    "FirstByDavis", "FirstByDowning", "FirstByGrofman", "FirstByJoss", "FirstByNydegger", "FirstByShubik",
    # Axelrod's second tournament (1980).
    "SecondByBorufsen", "SecondByColbert", "SecondByGladstein", "SecondByGrofman", "SecondByMikkelson",
    "SecondByTester", "SecondByWeiner", "SecondByWhite", "SecondByYamachi",
    # Finite state machines (Ashlock and others).
    "Fortress3", "Fortress4", "Predator", "Pun1", "Raider", "Ripoff", "UsuallyCooperates", "UsuallyDefects",
    "SolutionB1", "SolutionB5", "Thumper", "EvolvedFSM4", "EvolvedFSM6", "EvolvedFSM16", "EvolvedFSM16Noise05",
    "TF1", "TF2", "TF3",
    # Tit For Tat variants.
    "AntiTitForTat", "HardTitFor2Tats", "SlowTitForTwoTats2", "SneakyTitForTat", "SpitefulTitForTat",
    "AdaptiveTitForTat", "Gradual", "OriginalGradual", "ForgivingTitForTat",
    # Grudgers.
    "ForgetfulGrudger", "OppositeGrudger", "Aggravater", "SoftGrudger", "GrudgerAlternator", "EasyGo",
    "SpitefulCC", "Capri",
    # Probers.
    "Prober2", "Prober3", "Prober4", "HardProber", "Detective",
    # Punishers, retaliators, grudge-holders.
    "Punisher", "InversePunisher", "LevelPunisher", "Retaliate", "Retaliate2", "Retaliate3", "LimitedRetaliate",
    "LimitedRetaliate2", "LimitedRetaliate3", "OnceBitten", "FoolMeOnce", "Forgiver",
    # Others.
    "Appeaser", "Doubler", "TrickyCooperator", "TrickyDefector", "Resurrection", "DoubleResurrection",
    "ShortMem", "APavlov2006", "APavlov2011", "AON2", "DelayedAON1", "MEM2", "WinShiftLoseStay",
    "DefectorHunter", "CooperatorHunter", "AlternatorHunter", "SoftJoss", "StochasticCooperator",
    "ZDExtortion", "ZDExtort3", "ZDExtort4", "ZDGen2", "ZDMischief", "ZDExtort2v2",
]

# The panel: deterministic opponents every implementation has, then two fixed sequences.
PANEL = [
    "Cooperator", "Defector", "Alternator", "TitForTat", "Grudger", "SuspiciousTitForTat", "WinStayLoseShift",
    "CyclerCCD", "Prober", "TitFor2Tats",
]


def lcg_sequence(seed: int, length: int, p_defect: float) -> str:
    """C/D string from the 31-bit LCG x ← (1103515245 x + 12345) mod 2^31, D when x / 2^31 < p_defect."""
    x = seed
    out = []
    for _ in range(length):
        x = (1103515245 * x + 12345) % (1 << 31)
        out.append("D" if x / (1 << 31) < p_defect else "C")
    return "".join(out)


SEQUENCES = {"seq30": lcg_sequence(1, TURNS, 0.3), "seq60": lcg_sequence(2, TURNS, 0.6)}


def memory_depth(player):
    depth = axl.Classifiers["memory_depth"](player)
    return "inf" if depth == float("inf") else int(depth)


def run_length(text: str) -> str:
    """'CCCDCC' -> 'C3DC2': each run is its letter and, when longer than 1, its length (the file stays small)."""
    runs = []
    for ch in text:
        if runs and runs[-1][0] == ch:
            runs[-1][1] += 1
        else:
            runs.append([ch, 1])
    return "".join(ch if n == 1 else f"{ch}{n}" for ch, n in runs)


def moves(player, opponent):
    match = axl.Match((player, opponent), turns=TURNS, seed=0)
    match.play()
    return run_length("".join(str(a) for a, _ in match.result))


# Stochastic players: their cooperation rate over STAT_SEEDS seeded 150-turn matches against these opponents.
STAT_OPPONENTS = ["Cooperator", "Defector", "Alternator", "TitForTat"]
STAT_SEEDS = 200


def cooperation_rate(cls, opp_name):
    cooperations = 0
    for seed in range(STAT_SEEDS):
        match = axl.Match((cls(), getattr(axl, opp_name)()), turns=TURNS, seed=seed)
        match.play()
        cooperations += sum(1 for a, _ in match.result if a == axl.Action.C)
    return cooperations / (STAT_SEEDS * TURNS)


def main():
    game = axl.Game()
    out = {
        "generator": "bench/peers/axelrod_fixtures.py",
        "axelrod": axl.__version__,
        "game": {k: float(v) for k, v in zip("RPST", game.RPST())},
        "turns": TURNS,
        "statSeeds": STAT_SEEDS,
        "panel": [str(getattr(axl, n)()) for n in PANEL] + ["self"] + list(SEQUENCES),
        "sequences": SEQUENCES,
        "strategies": [],
    }
    for cls_name in STRATEGIES:
        cls = getattr(axl, cls_name)
        player = cls()
        entry = {
            "class": cls_name,
            "name": player.name,
            "repr": str(player),
            "memoryDepth": memory_depth(player),
            "stochastic": bool(axl.Classifiers["stochastic"](player)),
            "makesUseOfGame": "game" in axl.Classifiers["makes_use_of"](player),
        }
        four = getattr(player, "_four_vector", None)
        if four is not None:
            entry["memoryOne"] = [1.0 if player._initial == axl.Action.C else 0.0] + [
                float(four[(a, b)]) for a in (axl.Action.C, axl.Action.D) for b in (axl.Action.C, axl.Action.D)
            ]
        if entry["stochastic"]:
            entry["cooperationRate"] = {str(getattr(axl, o)()): cooperation_rate(cls, o) for o in STAT_OPPONENTS}
        else:
            entry["moves"] = {}
            for opp_name in PANEL:
                opponent = getattr(axl, opp_name)()
                entry["moves"][str(opponent)] = moves(cls(), opponent)
            entry["moves"]["self"] = moves(cls(), cls())
            for key, seq in SEQUENCES.items():
                entry["moves"][key] = moves(cls(), axl.MockPlayer(actions=[axl.Action.from_char(c) for c in seq]))
        out["strategies"].append(entry)
    # One strategy per line: small, and a regenerated file diffs strategy by strategy.
    strategies = out.pop("strategies")
    head = json.dumps(out)[:-1]
    rows = ",\n".join(json.dumps(entry) for entry in strategies)
    sys.stdout.write(f'{head}, "strategies": [\n{rows}\n]}}\n')


if __name__ == "__main__":
    main()
