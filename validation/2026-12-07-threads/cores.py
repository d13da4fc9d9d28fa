#!/usr/bin/env python3
"""Whether this host's two CPUs slow each other down: the CPU time a fixed piece of work takes in
one process alone and in each of two processes at once (a register-bound loop, and a random walk
over 64 MiB, which misses the caches as a compiler's graphs do). Equal times mean a CPU-second is a
CPU-second whether the other core is busy or not (no shared physical core, no memory contention
worth the name).

Usage: validation/2026-12-07-threads/cores.py   (alone)
"""

import multiprocessing
import time


def compute(_):
    t0 = time.process_time()
    x = 88172645463325252
    for _ in range(3_000_000):
        x ^= (x << 13) & 0xFFFFFFFFFFFFFFFF
        x ^= x >> 7
        x ^= (x << 17) & 0xFFFFFFFFFFFFFFFF
    return time.process_time() - t0


def walk(_):
    buf = bytearray(64 << 20)
    t0 = time.process_time()
    j, x = 0, 12345
    for _ in range(3_000_000):
        x = (x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        j = (j + buf[(x >> 20) & ((64 << 20) - 1)] + (x >> 40)) & ((64 << 20) - 1)
        buf[j] = (buf[j] + 1) & 0xFF
    return time.process_time() - t0


def main():
    for name, f in (("compute", compute), ("64 MiB walk", walk)):
        for n in (1, 2, 1, 2):
            with multiprocessing.Pool(n) as pool:
                cpu = pool.map(f, range(n))
            print("%-11s %d at once: CPU s each %s" % (name, n, " ".join("%.2f" % c for c in cpu)))


if __name__ == "__main__":
    main()
