"""Shared locations of the environmental-claims experiment (evaluation data stays outside the repo)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV = ROOT.parent / "shared" / "data" / "environmental_claims"  # ../shared/data, never copied here
WORK = ROOT / "out" / "env_finetune"  # intermediate arrays (git-ignored)
WORK.mkdir(parents=True, exist_ok=True)
