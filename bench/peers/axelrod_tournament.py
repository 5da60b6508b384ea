"""Peer for bench/tournament.ts: the same round robin with the Axelrod Python library (4.x).

Usage: python3 axelrod_tournament.py [turns=200] [repetitions=10] [players=36|14]
Prints "seconds=<wall time of tournament.play>" and the ranked names (which should match shapelab's).
Axelrod is not installable from PyPI on the build machine: put its source on PYTHONPATH (see
bench/peers/axelrod_fixtures.py). The bench times this whole process (interpreter start and `import axelrod`
included), as a user running the script would see it, and also reports the in-script time printed here.
"""
import sys
import time

import axelrod as axl

turns = int(sys.argv[1]) if len(sys.argv) > 1 else 200
repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 10
size = int(sys.argv[3]) if len(sys.argv) > 3 else 36

# The 14 deterministic classics (shapelab's DETERMINISTIC_CLASSICS), then 22 first/second-tournament entrants and
# other deterministic strategies: the same players, in the same order, as TOURNAMENT_36 in bench/tournament.ts.
CLASSICS = [
    "Cooperator", "Defector", "TitForTat", "TitFor2Tats", "TwoTitsForTat", "SuspiciousTitForTat", "Grudger",
    "WinStayLoseShift", "Alternator", "HardTitForTat", "GoByMajority", "Bully", "Prober", "CyclerCCD",
]
MORE = [
    "FirstByDavis", "FirstByNydegger", "FirstByShubik", "FirstByDowning", "SecondByTester", "SecondByGladstein",
    "SecondByGrofman", "SecondByMikkelson", "SecondByWhite", "SecondByWeiner", "SecondByBorufsen",
    "SecondByYamachi", "SecondByColbert", "Gradual", "HardProber", "Detective", "Fortress3", "Predator",
    "EvolvedFSM16", "TF1", "Punisher", "Retaliate",
]
names = CLASSICS if size == 14 else CLASSICS + MORE
players = [getattr(axl, n)() for n in names]
tournament = axl.Tournament(players, turns=turns, repetitions=repetitions, seed=0)
start = time.perf_counter()
results = tournament.play(progress_bar=False, processes=1)
seconds = time.perf_counter() - start
print(f"seconds={seconds:.4f}")
print("ranked:", ", ".join(results.ranked_names))
