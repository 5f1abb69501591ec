"""`make bench`: run every benchmarks/bench_*.py in turn; each writes var/bench/<name>.json."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failures = 0
    for path in sorted(HERE.glob("bench_*.py")):
        module = f"benchmarks.{path.stem}"
        print(f"== {module}", flush=True)
        result = subprocess.run([sys.executable, "-m", module], cwd=HERE.parent, check=False)
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
