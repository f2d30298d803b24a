"""Print each benchmark's figures, the ratio to its in-run baseline, and peak memory."""

from __future__ import annotations

from benchmarks.phase import Figures


def _rate(value: float) -> str:
    return f"{value:>10,.0f}/s"


def _mb(figures: Figures) -> str:
    return f"peak {figures['peak_mb']:>5.0f} MB (start {figures['start_mb']:.0f} MB)"


def _sizes(results: dict[str, Figures], phase: str) -> list[str]:
    return [key.split("@")[1] for key in results if key.startswith(f"{phase}@")]


def commands(results: dict[str, Figures]) -> list[str]:
    """Lines of benchmark 1: judgments per second through commands against raw appends."""
    if "commands" not in results:
        return []
    f = results["commands"]
    ceiling = f["raw_append_per_s"]
    return [
        f"1. command throughput ({f['commands']} record_judgments commands, 4 judgments each)",
        f"   raw append, eventsourcing recorder  {_rate(ceiling)}  (baseline)",
        f"   append with the hash chain          {_rate(f['chained_append_per_s'])}"
        f"  {f['chained_append_per_s'] / ceiling:5.2f} x raw",
        f"   Ledger.record_judgments             {_rate(f['judgments_per_s'])}"
        f"  {f['judgments_per_s'] / ceiling:5.2f} x raw  (target >= 0.5)",
        f"   ... with read models caught up inline {_rate(f['inline_read_models_per_s'])}"
        f"  {f['inline_read_models_per_s'] / ceiling:5.2f} x raw",
        f"   {_mb(f)}",
    ]


def rebuild(results: dict[str, Figures]) -> list[str]:
    """Lines of benchmark 2: rebuild rate against reading the notification log, per size."""
    lines = []
    for size in _sizes(results, "rebuild"):
        read, mapped = results[f"read_log@{size}"], results[f"read_map@{size}"]
        built = results[f"rebuild@{size}"]
        lines += [
            f"2. projection rebuild, {int(size):,} events (all 5 read models)",
            f"   read notification log (raw)      {_rate(read['rate'])}  {read['seconds']:7.1f} s"
            f"  (baseline)  {_mb(read)}",
            f"   read + decode to domain events   {_rate(mapped['rate'])}"
            f"  {mapped['seconds']:7.1f} s"
            f"  {mapped['rate'] / read['rate']:5.2f} x raw  {_mb(mapped)}",
            f"   rebuild                          {_rate(built['rate'])}  {built['seconds']:7.1f} s"
            f"  {built['rate'] / read['rate']:5.2f} x raw  {_mb(built)}",
            f"   1,000,000 events at this rate: {1_000_000 / built['rate']:.0f} s (target < 60 s)",
        ]
    return lines


def queries(results: dict[str, Figures]) -> list[str]:
    """Lines of benchmark 4: as-of and history-page latency against fetching their rows."""
    lines = []
    for size in _sizes(results, "queries"):
        f = results[f"queries@{size}"]
        lines.append(f"4. queries with {int(size):,} events in the log (p50 / p99)")
        pairs = (
            ("as_of", "ratings as of D, known at T", "current ratings"),
            ("history", "council history page", "fetching its rows"),
        )
        for name, label, baseline in pairs:
            q, raw = f[name], f[f"{name}_raw"]
            lines += [
                f"   {label:<30} {q['p50_ms']:8.1f} / {q['p99_ms']:8.1f} ms"
                f"  {q['p50_ms'] / raw['p50_ms']:5.2f} x {baseline}"
                f" ({raw['p50_ms']:.1f} / {raw['p99_ms']:.1f} ms)",
            ]
        lines.append(f"   {_mb(f)}")
    return lines


def memory(results: dict[str, Figures]) -> list[str]:
    """Lines of benchmark 5: peak memory of each phase at each size of the log."""
    lines = ["5. peak memory per phase (own process each), by log size"] if results else []
    for key, figures in results.items():
        lines.append(f"   {key:<24} {_mb(figures)}")
    return lines


def generation(results: dict[str, Figures]) -> list[str]:
    """Lines describing how the log was written."""
    return [
        f"   log written up to {f['events']:,} events: {_rate(f['rate'])} ({f['seconds']:.1f} s)"
        for key, f in results.items()
        if key.startswith("generate@")
    ]


def render(backend: str, results: dict[str, Figures]) -> str:
    """Return the whole report of one backend."""
    sections = [
        generation(results),
        commands(results),
        rebuild(results),
        queries(results),
        memory(results),
    ]
    body = [line for section in sections for line in section]
    return "\n".join([f"== {backend} ==", *body, ""])
