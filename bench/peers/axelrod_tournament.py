"""Peer for bench/tournament.ts: the same tournament with the Axelrod Python library (4.x).

Usage: python3 axelrod_tournament.py [turns=200] [repetitions=10]
Prints "seconds=<wall time of tournament.play>" and the ranked names (which should match shapelab's).
Needs `pip install axelrod`; not installable on the shapelab build machine (no PyPI), so run it elsewhere.
"""
import sys
import time

import axelrod as axl

turns = int(sys.argv[1]) if len(sys.argv) > 1 else 200
repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 10

players = [
    axl.Cooperator(),
    axl.Defector(),
    axl.TitForTat(),
    axl.TitFor2Tats(),
    axl.TwoTitsForTat(),
    axl.SuspiciousTitForTat(),
    axl.Grudger(),
    axl.WinStayLoseShift(),
    axl.Alternator(),
    axl.HardTitForTat(),
    axl.GoByMajority(),
    axl.Bully(),
    axl.Prober(),
    axl.CyclerCCD(),
]
tournament = axl.Tournament(players, turns=turns, repetitions=repetitions, seed=0)
start = time.perf_counter()
results = tournament.play(progress_bar=False, processes=1)
seconds = time.perf_counter() - start
print(f"seconds={seconds:.4f}")
print("ranked:", ", ".join(results.ranked_names))
