"""The bench's markdown table, PNG plot and printed ratios (ours against plain Voilà)."""

from __future__ import annotations

from pathlib import Path

ROWS = [
    ("cold_s", "time to rendered, cold cache (s)", 0.8),
    ("warm_s", "time to rendered, warm cache (s)", 0.4),
    ("slider_ms", "slider → chart (ms)", 60),
    ("kernel_uss_mb", "kernel USS (MB)", 70),
]


def _fmt(value) -> str:
    return "–" if value is None else f"{value:.3g}" if value < 10 else f"{value:.0f}"


def write_report(results: dict, out: Path) -> str:
    pages = results["pages"]["summary"]
    plain, ours = pages["voila"], pages["innokraft"]
    phases = [("cold_html_ms", "HTML complete"), ("cold_connect_ms", "widgets connect"),
              ("cold_models_ms", "models loaded"), ("cold_drawn_ms", "widgets drawn")]
    profile = ("a new private context each" if results["pages"].get("profile") == "private"
               else "a new browser profile on disk each")
    lines = [f"M1 ({results['pages']['notebook']}), medians of {ours['loads']} loads each, "
             f"alternating, fresh browsers ({profile})",
             "", "| measure | plain Voilà | innokraft serve | ratio | target |", "|---|---|---|---|---|"]
    for key, label, target in ROWS:
        a, b = plain.get(key), ours.get(key)
        ratio = f"{a / b:.1f}×" if a and b else "–"
        lines.append(f"| {label} | {_fmt(a)} | {_fmt(b)} | {ratio} | ≤ {target} |")
    as_file = pages.get("file")
    if as_file:
        lines += ["", "The same M1 page served whole at once as a file (benchmarks.floor: the browser's part "
                  f"alone, the server's at zero): cold {_fmt(as_file['cold_s'])} s, warm {_fmt(as_file['warm_s'])} s; "
                  + "in a cold visit " + ", ".join(f"{label} {_fmt(as_file.get(key))}" for key, label in phases[1:])
                  + " ms"]
    if ours.get("cold_drawn_ms") is not None:
        lines += ["", "Where a cold M1 visit's time goes (innokraft serve, medians, ms since navigation start): "
                  + ", ".join(f"{label} {_fmt(ours.get(key))}" for key, label in phases)]
    if "facilitator" in results:
        f = results["facilitator"]
        lines += ["", f"collect {f['collect_s']} s, feedback {f['feedback_s']} s for {f['learners']} learners"]
    if "phone" in results:
        lines += _phone_lines(results["phone"])
    table = "\n".join(lines) + "\n"
    (out / "bench.md").write_text(table)
    _plot(results["pages"]["samples"], out / "bench.png")
    return table


def _phone_lines(phone: dict) -> list[str]:
    targets = phone["targets"]
    lines = ["", f"Throttled phone (benchmarks.phone: CPU {phone['profile']['cpu_slowdown']}× slower, 4G-like "
             f"network, {phone['profile']['viewport']}), medians of {phone['m1']['loads']} loads",
             "", "| page | first heading, empty cache (s) | usable (s) | transfer (MB) | first heading, "
             "cached (s) | targets |", "|---|---|---|---|---|---|"]
    for name in ("start", "m1"):
        r = phone[name]
        lines.append(f"| {name} | {r['first_heading_s_median']} | {r['first_usable_s_median']} | "
                     f"{r['first_transfer_mb_median']} | {r['cached_heading_s_median']} | "
                     f"{'met' if r['meets_targets'] else 'missed'} (≤ {targets['first_heading_s']} s, "
                     f"≤ {targets['transfer_mb']} MB) |")
    return lines


def _plot(samples: dict, path: Path) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 3.6), layout="constrained")
    axes = fig.subplots(1, len(ROWS))
    for ax, (key, label, target) in zip(axes, ROWS, strict=True):
        data = [[r[key] for r in samples[name] if r[key] is not None] for name in ("voila", "innokraft")]
        ax.boxplot(data, tick_labels=["Voilà", "innokraft"])
        ax.axhline(target, color="#b34700", linestyle="--", linewidth=1)
        ax.set_title(label, fontsize=9)
        ax.set_ylim(bottom=0)
    fig.savefig(path, dpi=100)
