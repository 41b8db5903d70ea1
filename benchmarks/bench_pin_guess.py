"""What a PIN costs an attacker (issue #12): offline (someone holding a hash) and online (at the station).

    .venv/bin/python benchmarks/bench_pin_guess.py [--guesses 40]

Measures one scrypt check with the station's parameters (store/pins.py) on this machine, one core, then
prints the time to try every PIN of each policy offline, and how long the lockout (3 free attempts, then
30 s doubling to 1 h) makes trying half of them at a station. Offline figures scale down with cores and
GPUs (the issue's 4-digit PIN fell in 74 s); the ratio between the rows is what the policy changes.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store.pins import FREE_ATTEMPTS, hash_pin, lock_seconds, verify_hash  # noqa: E402


def online_seconds(guesses: int) -> float:
    """Waiting the lockout imposes on ``guesses`` wrong PINs in a row (summed until the cap, then
    the capped lock times the rest)."""
    total, n = 0.0, 1
    while n <= guesses and lock_seconds(n) < lock_seconds(10 ** 6):
        total += lock_seconds(n)
        n += 1
    return total + max(0, guesses - n + 1) * lock_seconds(10 ** 6)


def human(seconds: float) -> str:
    for unit, size in (("years", 365 * 86400), ("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:,.1f} {unit}"
    return f"{seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guesses", type=int, default=40, help="scrypt checks to time")
    args = parser.parse_args()
    stored = hash_pin("583920")
    start = time.perf_counter()
    for n in range(args.guesses):
        verify_hash(f"{n:06d}", stored)
    per = (time.perf_counter() - start) / args.guesses
    print(f"one scrypt check (n=2**14, r=8, p=1): {per * 1000:.1f} ms on one core "
          f"({os.cpu_count()} cores here); lockout: {FREE_ATTEMPTS} free, then 30 s doubling to 1 h\n")
    rows = [("4 digits (before)", 10 ** 4), ("6 digits (new minimum)", 10 ** 6),
            ("6 letters/digits", 36 ** 6), ("8 letters/digits", 36 ** 8)]
    print(f"{'PIN policy':<24} {'PINs':>16} {'offline, all, 1 core':>22} {'x 4-digit':>10} {'online, half':>14}")
    base = rows[0][1]
    for name, space in rows:
        print(f"{name:<24} {space:>16,} {human(space * per):>22} {space / base:>10,.0f} "
              f"{human(online_seconds(space // 2)):>14}")


if __name__ == "__main__":
    main()
