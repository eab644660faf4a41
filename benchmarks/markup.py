"""Benchmark: rendering students' written answers for the grading pages (grader/service/markup.py),
side by side in one run: a typical answer, the worst inputs the limits allow (MAX_MARKDOWN of
`[`, which markdown-it parses slowly; a notebook's worth of them; MAX_FORMULAS formulas; one formula of
MAX_FORMULA characters), and what the limits turn away (past MAX_MARKDOWN: shown as plain text).
Prints medians in milliseconds; asserts nothing (machines are shared and noisy).

    python benchmarks/markup.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grader.service import markup  # noqa: E402

TYPICAL = (
    "The chain: $\\frac{\\partial E}{\\partial W_1} = "
    "\\frac{\\partial E}{\\partial \\hat y}"
    "\\frac{\\partial \\hat y}{\\partial h}\\frac{\\partial h}{\\partial z}"
    "\\frac{\\partial z}{\\partial W_1}$, "
    "with shapes $(1, q)$, $(q, m)$, $(m, m)$ and $(m, mn)$.\n\n"
    "$$\\rho = \\frac{a/b - 1}{a/b + 1}$$\n\n* explicit Jacobians: $O(qm^2n)$\n* vector-Jacobian: $O(mn)$\n"
)
CASES = {
    "typical answer (5 formulas)": TYPICAL,
    f"{markup.MAX_MARKDOWN:,} x '['": "[" * markup.MAX_MARKDOWN,
    f"{markup.MAX_MARKDOWN + 1:,} x '[' (plain text)": "[" * (markup.MAX_MARKDOWN + 1),
    f"{markup.MAX_FORMULAS} formulas": "$\\frac{a}{b}$ " * markup.MAX_FORMULAS,
    f"{markup.MAX_FORMULAS + 100} formulas (100 as source)": "$\\frac{a}{b}$ " * (markup.MAX_FORMULAS + 100),
    f"one {markup.MAX_FORMULA}-character formula": "$" + "\\frac{a}{b}" * (markup.MAX_FORMULA // 11) + "$",
    "3 x 20,000 '[' on one page": ["[" * markup.MAX_MARKDOWN] * 3,
    "50 x 20,000 '[' on one page (budget)": ["[" * markup.MAX_MARKDOWN] * 50,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    print(f"{'input':45} {'median ms':>10} {'HTML bytes':>11}")
    for name, text in CASES.items():
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            page = markup.renderer()
            size = sum(len(page.markdown(t)) for t in (text if isinstance(text, list) else [text]))
            times.append((time.perf_counter() - start) * 1000)
        print(f"{name:45} {statistics.median(times):10.1f} {size:11,}")


if __name__ == "__main__":
    main()
