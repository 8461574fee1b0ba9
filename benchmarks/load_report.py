"""What a `make load` run found: a summary (JSON, markdown, printed) and a chart (PNG)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (nearest rank): of 100 page loads, p95 is the 95th fastest."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    rank = max(1, min(len(values), int(-(-q * len(values) // 100))))
    return round(values[rank - 1], 3)


def summarize(args, schedule: list[float], visits, samples: list[dict], seconds: float) -> dict:
    ready = [v.ready_s for v in visits if v.ready_s is not None]
    interactions = [ms for v in visits for ms in v.interactions_ms]
    errors = [v for v in visits if v.error]
    reloads = [r for v in visits for r in v.reloads]
    with_uss = [s for s in samples if "uss_kernels_mb" in s]
    peak = max(with_uss, key=lambda s: s["uss_server_mb"] + s["uss_kernels_mb"], default=None)
    # Per leader: when the most pages are open (at the run's end the pages close before their
    # kernels end, and the same memory over fewer pages would say more per leader than it is).
    busiest = max(with_uss, key=lambda s: (s["active_leaders"], s["uss_server_mb"] + s["uss_kernels_mb"]),
                  default=None)
    last = samples[-1] if samples else {}
    peak_active = max((s["active_leaders"] for s in samples), default=0)
    total_at_peak = (peak["uss_server_mb"] + peak["uss_kernels_mb"]) if peak else None
    # Unique memory per active leader: everything the servers and their kernels hold (pooled
    # kernels waiting for a visitor too) over the leaders whose pages are open.
    per_leader = round((busiest["uss_server_mb"] + busiest["uss_kernels_mb"]) / max(busiest["active_leaders"], 1), 1) \
        if busiest else None
    summary = {
        "name": args.name or args.profile,
        "profile": args.profile,
        "leaders": len(visits),
        "within_s": args.within,
        "first_to_last_arrival_s": round(schedule[-1] - schedule[0], 1) if schedule else 0,
        "stay_share": args.stay,
        "run_s": round(seconds, 1),
        "page_ready_p50_s": percentile(ready, 50),
        "page_ready_p95_s": percentile(ready, 95),
        "page_ready_max_s": percentile(ready, 100),
        "html_p50_s": percentile([v.html_s for v in visits], 50),
        "html_p95_s": percentile([v.html_s for v in visits], 95),
        "interaction_p50_ms": percentile(interactions, 50),
        "interaction_p95_ms": percentile(interactions, 95),
        "served": len(ready),
        "errors": len(errors),
        "error_kinds": sorted({v.error.split(":")[0] for v in errors}),
        "busy_pages": sum(v.busy_pages for v in visits),
        "turned_away_then_served": sum(1 for v in visits if v.busy_pages and v.ready_s is not None),
        "reloads": len(reloads),
        "reloads_intact": sum(1 for r in reloads if r["intact"]),
        "peak_active_leaders": peak_active,
        "uss_total_mb_at_peak": round(total_at_peak, 1) if total_at_peak else None,
        "uss_server_mb_at_peak": round(peak["uss_server_mb"], 1) if peak else None,
        "kernels_at_peak": peak["kernels"] if peak else None,
        "uss_mb_per_active_leader": per_leader,
        "cpu_server_s": last.get("cpu_server_s"),
        "cpu_kernels_s": last.get("cpu_kernels_s"),
        "cpu_s_per_leader": round((last.get("cpu_server_s", 0) + last.get("cpu_kernels_s", 0)) / max(len(visits), 1),
                                  2),
        "timeline": samples,
        "visits": [asdict(v) for v in visits],
    }
    summary["text"] = text(summary)
    return summary


def text(s: dict) -> str:
    return "\n".join([
        f"make load · {s['name']}: {s['leaders']} leaders ({s['profile']}, arrivals over "
        f"{s['first_to_last_arrival_s']} s, {round(s['stay_share'] * 100)} % stay)",
        f"  page ready   p50 {s['page_ready_p50_s']} s   p95 {s['page_ready_p95_s']} s   max {s['page_ready_max_s']} s"
        f"   (HTML p50 {s['html_p50_s']} s, p95 {s['html_p95_s']} s)",
        f"  interaction  p50 {s['interaction_p50_ms']} ms   p95 {s['interaction_p95_ms']} ms",
        f"  served {s['served']}, errors {s['errors']} {s['error_kinds'] or ''}, busy pages {s['busy_pages']} "
        f"({s['turned_away_then_served']} leaders served on retry), reloads {s['reloads']} "
        f"({s['reloads_intact']} with every saved answer)",
        f"  memory       {s['uss_total_mb_at_peak']} MB USS at peak ({s['kernels_at_peak']} kernels, "
        f"server {s['uss_server_mb_at_peak']} MB) for {s['peak_active_leaders']} open pages: "
        f"{s['uss_mb_per_active_leader']} MB per active leader",
        f"  CPU          server {s['cpu_server_s']} s, kernels {s['cpu_kernels_s']} s: "
        f"{s['cpu_s_per_leader']} CPU-s per leader",
    ])


def markdown(s: dict) -> str:
    rows = [("leaders", f"{s['leaders']} ({s['profile']}, arrivals over {s['first_to_last_arrival_s']} s)"),
            ("page ready p50 / p95 / max", f"{s['page_ready_p50_s']} / {s['page_ready_p95_s']} / "
                                           f"{s['page_ready_max_s']} s"),
            ("HTML p50 / p95", f"{s['html_p50_s']} / {s['html_p95_s']} s"),
            ("interaction p50 / p95", f"{s['interaction_p50_ms']} / {s['interaction_p95_ms']} ms"),
            ("errors", f"{s['errors']} {', '.join(s['error_kinds'])}"),
            ("busy pages (leaders served on retry)", f"{s['busy_pages']} ({s['turned_away_then_served']})"),
            ("reloads after a lost page (answers intact)", f"{s['reloads']} ({s['reloads_intact']})"),
            ("USS at peak (kernels)", f"{s['uss_total_mb_at_peak']} MB ({s['kernels_at_peak']})"),
            ("USS per active leader", f"{s['uss_mb_per_active_leader']} MB"),
            ("CPU server / kernels", f"{s['cpu_server_s']} / {s['cpu_kernels_s']} s"),
            ("load average before", " ".join(f"{x:.2f}" for x in s.get("load_average_before", ())))]
    return "\n".join([f"# make load: {s['name']}", "", "| what | measured |", "|---|---|",
                      *[f"| {k} | {v} |" for k, v in rows], "", f"![timeline]({s['name']}.png)", ""])


def chart(s: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (top, mid, low) = plt.subplots(3, 1, figsize=(8, 9), sharex=True)
    visits = [v for v in s["visits"] if v["ready_s"] is not None]
    top.scatter([v["arrived"] for v in visits], [v["ready_s"] for v in visits], s=10)
    failed = [v for v in s["visits"] if v["error"]]
    top.scatter([v["arrived"] for v in failed], [0] * len(failed), marker="x", color="red", label="error")
    top.set_ylabel("page ready (s)")
    top.set_title(f"make load · {s['name']}: {s['leaders']} leaders")
    if failed:
        top.legend()
    tl = s["timeline"]
    t = [r["t"] for r in tl]

    def rate(key: str) -> list[float]:
        out = [0.0]
        for a, b in zip(tl, tl[1:], strict=False):
            out.append(100 * (b[key] - a[key]) / max(b["t"] - a["t"], 1e-3))
        return out

    mid.plot(t, rate("cpu_server_s"), label="server")
    mid.plot(t, rate("cpu_kernels_s"), label="kernels")
    mid.set_ylabel("CPU (% of one core)")
    mid.legend()
    mem = [r for r in tl if "uss_kernels_mb" in r]
    low.plot([r["t"] for r in mem], [(r["uss_server_mb"] + r["uss_kernels_mb"]) / 1024 for r in mem], label="USS (GB)")
    low.set_ylabel("USS, servers + kernels (GB)")
    twin = low.twinx()
    twin.plot(t, [r["active_leaders"] for r in tl], color="gray", linestyle="--", label="open pages")
    twin.set_ylabel("open pages")
    low.set_xlabel("seconds since the first arrival")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def write_report(folder: Path, name: str, summary: dict) -> None:
    (folder / f"{name}.json").write_text(json.dumps(summary, indent=1, default=str))
    (folder / f"{name}.md").write_text(markdown(summary))
    chart(summary, folder / f"{name}.png")


