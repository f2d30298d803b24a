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
    fresh, ceiling = f["raw_append_per_s"], f["sized_append_per_s"]
    return [
        f"1. command throughput ({f['commands']} record_judgments commands, 4 judgments each)",
        f"   raw append to a fresh table         {_rate(fresh)}  (the chain's baseline)",
        f"   append with the hash chain          {_rate(f['chained_append_per_s'])}"
        f"  {f['chained_append_per_s'] / fresh:5.2f} x raw",
        f"   raw append to a copy of the log     {_rate(ceiling)}"
        f"  ({f['log_events']:,} events: the commands' baseline)",
        f"   Ledger.record_judgments             {_rate(f['judgments_per_s'])}"
        f"  {f['judgments_per_s'] / ceiling:5.2f} x raw  (target >= 0.5)",
        f"   ... with read models caught up inline {_rate(f['inline_read_models_per_s'])}"
        f"  {f['inline_read_models_per_s'] / ceiling:5.2f} x raw  (target >= 0.3)",
        f"   {_mb(f)}",
    ]


def rebuild(results: dict[str, Figures]) -> list[str]:
    """Lines of benchmark 2: rebuild rate against reading the notification log, per size."""
    lines = []
    for size in _sizes(results, "rebuild"):
        read, mapped = results[f"read_log@{size}"], results[f"read_map@{size}"]
        built, alone = results[f"rebuild@{size}"], results.get(f"rebuild_one@{size}")
        lines += [
            f"2. projection rebuild, {int(size):,} events (all 7 read models)",
            f"   read notification log (raw)      {_rate(read['rate'])}  {read['seconds']:7.1f} s"
            f"  (baseline)  {_mb(read)}",
            f"   read + decode to domain events   {_rate(mapped['rate'])}"
            f"  {mapped['seconds']:7.1f} s"
            f"  {mapped['rate'] / read['rate']:5.2f} x raw  {_mb(mapped)}",
            f"   rebuild                          {_rate(built['rate'])}  {built['seconds']:7.1f} s"
            f"  {built['rate'] / read['rate']:5.2f} x raw (target >= 0.6)  {_mb(built)}",
            f"   1,000,000 events at this rate: {1_000_000 / built['rate']:.0f} s (target < 60 s)",
        ]
        if "cpu" in read and "cpu" in built:
            busiest = max(built["cpu"], built["workers_cpu"])  # one worker: on a free core each
            lines.append(
                f"   CPU: read {read['cpu']:.1f} s; rebuild {built['cpu']:.1f} s + workers"
                f" {built['workers_cpu']:.1f} s: {read['cpu'] / busiest:5.2f} x raw on free cores"
            )
        if alone:
            lines.append(
                f"   rebuild in one process           {_rate(alone['rate'])}"
                f"  {alone['seconds']:7.1f} s  {alone['rate'] / read['rate']:5.2f} x raw"
                f"  (parallel: {built['rate'] / alone['rate']:4.2f} x this; its workers' peak"
                f" {built.get('workers_mb', 0):.0f} MB)"
            )
    return lines


def _latency(name: str, f: Figures, floor: Figures) -> str:
    return (
        f"   {name:<34} p50 {f['p50_ms']:6.1f} / p99 {f['p99_ms']:6.1f} ms"
        f"  {f['p50_ms'] / floor['p50_ms']:5.1f} / {f['p99_ms'] / floor['p99_ms']:5.1f} x healthz"
    )


def api(results: dict[str, Figures]) -> list[str]:
    """Lines of benchmark 3: the API's mix at a fixed rate against /healthz at that rate."""
    if "api" not in results:
        return []
    f = results["api"]
    floor, mix, reads = f["baseline"], f["mix"], f["reads"]
    top, base = f["saturation_reads"], f["saturation_healthz"]
    verdict = "met" if reads["p99_ms"] < 50 else "MISSED"
    at = "" if f["rate"] == 200 else f"; measured at {f['rate']:.0f}/s, the target is at 200/s"
    lines = [
        f"3. API under load ({f['workers']} gunicorn workers and a follower; open loop at"
        f" {f['rate']:.0f} requests/s for {f['seconds']:.0f} s; {f['inspections']} inspections"
        " on site, one write at a time on each)",
        f"   GET /healthz (baseline)            {_rate(floor['per_s'])}"
        f"  p50 {floor['p50_ms']:6.1f} / p99 {floor['p99_ms']:6.1f} ms"
        f"  errors {floor['errors']}",
        f"   mix: 80% reads, 20% writes         {_rate(mix['per_s'])}"
        f"  {mix['per_s'] / floor['per_s']:5.2f} x healthz;"
        f" errors {mix['errors']} of {mix['requests']}",
        _latency("reads (ratings, rating history)", reads, floor),
        f"   reads p99 {reads['p99_ms']:.1f} ms against the target of 50 ms: {verdict}{at}",
        _latency("writes (findings, judgments)", f["writes"], floor),
        f"   saturation, {f['clients']} clients in a closed loop:"
        f" reads {top['per_s']:,.0f}/s  {top['per_s'] / base['per_s']:5.2f} x healthz"
        f" ({base['per_s']:,.0f}/s; target >= 0.5); errors {top['errors'] + base['errors']}",
        _revalidated(f),
        f"   read models behind the log after the mix: {f['lag_after']} events;"
        f" load generator busy {mix['client_cpu']:.0%} of a core"
        f" (saturated: {top['client_cpu']:.0%})",
        _cpu_per_request(f),
        f"   peak memory: web worker {f['worker_peak_mb']:.0f} MB,"
        f" follower {f['follower_peak_mb']:.0f} MB, load generator {f['peak_mb']:.0f} MB",
    ]
    return lines + [f"   error: {detail}" for detail in f["error_details"]]


def _cpu_per_request(f: Figures) -> str:
    spent = f["mix_cpu_ms"]
    parts = ", ".join(f"{part} {ms:.1f}" for part, ms in spent.items())
    return f"   CPU per request of the mix, ms: {parts}; {sum(spent.values()):.1f} in all"


def _revalidated(f: Figures) -> str:
    full, cond = f["full_reads"], f["not_modified"]
    return (
        f"   conditional GETs (If-None-Match, {f['not_modified_share']:.0%} answered 304):"
        f" {cond['per_s']:,.0f}/s, p50 {cond['p50_ms']:.1f} ms, against full reads"
        f" {full['per_s']:,.0f}/s, p50 {full['p50_ms']:.1f} ms:"
        f" {cond['per_s'] / full['per_s']:.2f} x"
    )


def _as_of_ratio(f: Figures) -> float:
    """The as-of query's p99 as a multiple of the current-ratings query's p99."""
    return float(f["as_of"]["p99_ms"] / f["as_of_raw"]["p99_ms"])


def queries(results: dict[str, Figures]) -> list[str]:
    """Lines of benchmark 4: as-of and history-page latency against fetching their rows;
    the as-of p99 against the current-ratings p99 (target <= 3x), flat across log sizes."""
    lines = []
    sizes = _sizes(results, "queries")
    for size in sizes:
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
        ratio = _as_of_ratio(f)
        verdict = "met" if ratio <= 3 else "MISSED"
        lines += [
            f"   as-of p99 {ratio:5.2f} x current ratings' p99 (target <= 3): {verdict}",
            f"   {_mb(f)}",
        ]
    if len(sizes) > 1:
        first, last = (results[f"queries@{size}"] for size in (sizes[0], sizes[-1]))
        growth = last["as_of"]["p99_ms"] / first["as_of"]["p99_ms"]
        lines.append(
            f"   as-of p99 from {int(sizes[0]):,} to {int(sizes[-1]):,} events: {growth:.2f} x"
            f" (the ratio to current {_as_of_ratio(first):.2f} -> {_as_of_ratio(last):.2f};"
            " target: flat)"
        )
    return lines


def merkle(results: dict[str, Figures]) -> list[str]:
    """Lines of benchmark 6: appends with the Merkle tree against raw ones; proofs at size."""
    if "merkle" not in results:
        return []
    f = results["merkle"]
    ceiling, ms = f["raw_append_per_s"], "ms (target < 5 ms at 1,000,000)"
    return [
        f"6. verifiable log (Merkle tree of {f['leaves']:,} leaves, built in"
        f" {f['build_seconds']:.1f} s)",
        f"   raw append, eventsourcing recorder  {_rate(ceiling)}  (baseline)",
        f"   append with the chain and the tree  {_rate(f['tree_append_per_s'])}"
        f"  {f['tree_append_per_s'] / ceiling:5.2f} x raw  (target >= 0.5)",
        *(
            f"   {kind.replace('_', ' ') + ' proof':<34} p50 {f[kind + '_p50_ms']:6.2f} / p99"
            f" {f[kind + '_p99_ms']:6.2f} {ms}"
            for kind in ("inclusion", "consistency")
        ),
        f"   tree head (size and root)          p50 {f['tree_head_p50_ms']:6.2f} / p99"
        f" {f['tree_head_p99_ms']:6.2f} ms",
        f"   (1,000 of each after 100 untimed; load average {f.get('load_average', 0):.1f}"
        " on this machine's cores while timed)",
        f"   {_mb(f)}",
    ]


def memory(results: dict[str, Figures]) -> list[str]:
    """Lines of benchmark 5: peak memory of each phase at each size of the log."""
    lines = ["5. peak memory per phase (own process each), by log size"] if results else []
    by_phase: dict[str, dict[int, float]] = {}
    for key, figures in results.items():
        lines.append(f"   {key:<24} {_mb(figures)}")
        phase, _, size = key.partition("@")
        if size.isdigit():
            by_phase.setdefault(phase, {})[int(size)] = figures["peak_mb"]
    for phase, peaks in by_phase.items():
        if len(peaks) > 1:
            small, large = min(peaks), max(peaks)
            lines.append(
                f"   {phase:<24} {peaks[large] / peaks[small]:4.2f} x the peak from {small:,}"
                f" to {large:,} events (target: flat)"
            )
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
        api(results),
        queries(results),
        merkle(results),
        memory(results),
    ]
    body = [line for section in sections for line in section]
    return "\n".join([f"== {backend} ==", *body, ""])
