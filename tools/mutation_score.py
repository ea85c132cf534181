"""Print the mutation score of the numerical core after `mutmut run` (see `make mutation`).

    python tools/mutation_score.py [--equivalents tests/mutation_equivalents.txt] [--min 95]

Reads every mutant's status from `mutmut results --all true` and the list of mutants judged
equivalent (one per line: the mutant's name, then `#` and one line of reason). The score is

    killed / (total - equivalent)

per module and in total. "killed" counts mutants a test failed on, timed out on or crashed on;
every other status (survived, no tests, not checked, suspicious) counts against the score.
Exits 1 when the total is below --min, or when the list names a mutant that no longer exists
(the code changed: look at the mutant again) or that a test now kills (drop it from the list).
"""
import argparse
import collections
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KILLED = {"killed", "timeout", "segfault", "caught by type check"}


def read_results(mutmut):
    """``{mutant name: status}`` from ``mutmut results --all true``."""
    out = subprocess.run([mutmut, "results", "--all", "true"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    results = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            results[name] = status
    return results


def read_equivalents(path):
    """``{mutant name: reason}`` from the list; blank lines and whole-line comments are skipped."""
    equivalents = {}
    for line in Path(path).read_text().splitlines():
        name, _, reason = line.partition("#")
        if name.strip():
            equivalents[name.strip()] = reason.strip()
    return equivalents


def module_of(name):
    """course_lib.layers.xǁDenseǁforward__mutmut_3 -> course_lib.layers"""
    return name.split(".x")[0] if ".x" in name else name.rsplit(".", 1)[0]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--equivalents", default=ROOT / "tests" / "mutation_equivalents.txt")
    parser.add_argument("--min", type=float, default=95.0, help="lowest acceptable total (percent)")
    parser.add_argument("--mutmut", default=str(Path(sys.executable).with_name("mutmut")))
    args = parser.parse_args(argv)

    if not Path(args.mutmut).exists():
        print(f"{args.mutmut} not found: `make mutation` installs mutmut (pyproject's mutation extra)")
        return 1
    results = read_results(args.mutmut)
    if not results:
        print("no mutation results: run `make mutation` (or `mutmut run`) first")
        return 1
    equivalents = read_equivalents(args.equivalents)

    rows = collections.defaultdict(collections.Counter)
    for name, status in results.items():
        row = rows[module_of(name)]
        row["total"] += 1
        if name in equivalents:
            row["equivalent"] += 1
        elif status in KILLED:
            row["killed"] += 1
        else:
            row["alive"] += 1

    print(f"{'module':<30}{'mutants':>8}{'killed':>8}{'equiv.':>8}{'alive':>7}{'score':>9}")
    total = collections.Counter()
    for module in sorted(rows):
        row = rows[module]
        total.update(row)
        print(f"{module:<30}{row['total']:>8}{row['killed']:>8}{row['equivalent']:>8}"
              f"{row['alive']:>7}{score(row):>8.1f}%")
    print(f"{'total':<30}{total['total']:>8}{total['killed']:>8}{total['equivalent']:>8}"
          f"{total['alive']:>7}{score(total):>8.1f}%")
    print("score = killed / (mutants - equivalent)")

    alive = sorted(n for n, s in results.items() if s not in KILLED and n not in equivalents)
    unchecked = [n for n in alive if results[n] == "not checked"]
    if unchecked:
        print(f"\n{len(unchecked)} mutants not checked: the run stopped early (run it again)")
        alive = [n for n in alive if results[n] != "not checked"]
    if alive:
        print(f"\n{len(alive)} mutants no test kills (`mutmut show NAME` shows the change):")
        for name in alive:
            print(f"    {name}: {results[name]}")
    gone = sorted(n for n in equivalents if n not in results)
    # (a timeout is no proof: an equivalent mutant runs every test and may time out when busy)
    killed = sorted(n for n in equivalents if results.get(n) == "killed")
    if gone:
        print(f"\nlisted as equivalent but no longer a mutant (the code changed; look again): {gone}")
    if killed:
        print(f"\nlisted as equivalent but a test kills it (remove from the list): {killed}")
    ok = score(total) >= args.min and not gone and not killed and not unchecked
    print(f"\nmutation score {score(total):.1f}% (minimum {args.min:g}%): {'ok' if ok else 'FAILED'}")
    return 0 if ok else 1


def score(row):
    tested = row["total"] - row["equivalent"]
    return 100.0 * row["killed"] / tested if tested else 100.0


if __name__ == "__main__":
    sys.exit(main())
