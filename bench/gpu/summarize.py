#!/usr/bin/env python3
"""Summarizes a bench/gpu/accept run, complete or not: RAW (the steps' own files) -> OUT/results.json and
OUT/results.md.

    summarize.py RAW OUT [BUDGET_SECONDS]

Every figure is read from a file a step wrote; a step that failed, ran out of time, was skipped or needs a
GPU is reported as such, never filled in. A file that cannot be read or parsed is reported as unreadable,
with the reason, and the rest of the summary is still written. Prints the Markdown last.
Exit code: 0 when no step failed or ran out of time, 1 otherwise.
"""
import glob
import json
import os
import re
import sys

# Control characters other than newline: a step's stderr may hold tabs, escapes or a cut UTF-8 sequence.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def clean(text, limit=400, keep_end=True):
    """One line of at most `limit` characters, safe in Markdown and JSON: the end of an error log (where the
    error is), or the start of a reason (keep_end=False)."""
    text = _CONTROL.sub(" ", text or "").replace("\n", " ").replace("|", "/").strip()
    if len(text) <= limit:
        return text
    return "…" + text[-limit:] if keep_end else text[:limit] + "…"


def read_json(path):
    """(value, problem): the parsed file, or None and why not."""
    text = read(path)
    if text is None:
        return None, "not written"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as e:
        return None, f"unreadable JSON ({e.msg} at line {e.lineno})"


def read_jsonl(path):
    values, problems = [], []
    for i, line in enumerate((read(path) or "").splitlines(), 1):
        if line.strip():
            try:
                values.append(json.loads(line))
            except json.JSONDecodeError as e:
                problems.append(f"line {i}: {e.msg}")
    return values, problems


def steps_of(raw):
    steps = []
    for line in (read(os.path.join(raw, "steps.tsv")) or "").splitlines():
        fields = (line.split("\t") + [""] * 7)[:7]
        name, file, rc, seconds, limit, status, note = fields
        step = {"step": name, "file": file, "rc": int(rc) if rc.lstrip("-").isdigit() else None,
                "seconds": int(seconds or 0), "limit_seconds": int(limit or 0), "status": status, "note": note}
        if status in ("failed", "timeout") and file:
            step["stderr_tail"] = clean(read(os.path.join(raw, file + ".err")))
        steps.append(step)
    return steps


def figure(value, unit, digits=3):
    return f"{value:.{digits}g} {unit}" if isinstance(value, (int, float)) else "n/a"


def measurement_text(m, scale=1.0, unit=""):
    """A measurement object (value, median, min, max, spread, windows) as 'median (min–max, ±spread, N windows)'."""
    if not isinstance(m, dict) or m.get("value") is None:
        return "n/a"
    text = f"{m['value'] / scale:.4g} {unit}".strip()
    if m.get("min") is not None and m.get("max") is not None:
        text += f" ({m['min'] / scale:.4g}–{m['max'] / scale:.4g}"
        if m.get("spread") is not None:
            text += f", spread {100 * m['spread']:.1f} %"
        if m.get("windows"):
            text += f", {m['windows']} windows"
        text += ")"
    return text


def device_section(raw, n, problems):
    """The figures of one CUDA device: what each step wrote, or why it is missing."""
    d = {}
    for key, path in (("verify", f"verify-cuda{n}.json"), ("hashrate", f"hashrate-cuda{n}.json"), ("reference", f"ref-cuda{n}.json")):
        d[key], problem = read_json(os.path.join(raw, path))
        if problem:
            problems.append(f"cuda:{n} {key}: {problem}")
    d["gemm"] = []
    for path in sorted(glob.glob(os.path.join(raw, f"gemm-cuda{n}-*.json"))):
        value, problem = read_json(path)
        if problem:
            problems.append(f"{os.path.basename(path)}: {problem}")
        elif isinstance(value, dict):
            d["gemm"].append(value)
    d["torch"], bad = read_jsonl(os.path.join(raw, f"torch-cuda{n}.jsonl"))
    problems += [f"cuda:{n} torch: {b}" for b in bad]
    return d


def sha256d_row(n, d):
    verify = d.get("verify")
    verified = "verified" if isinstance(verify, dict) and verify.get("ok") else ("NOT verified" if verify else "not run")
    runs = d.get("hashrate")
    run = runs[0] if isinstance(runs, list) and runs and isinstance(runs[0], dict) else None
    ours = run.get("rate", {}).get("value") if run and run.get("status") == "measured" else None
    ref = d.get("reference")
    theirs = ref.get("hashes_per_second") if isinstance(ref, dict) else None
    energy = "n/a"
    clock = "n/a"
    if run:
        watts, per_joule = run.get("watts", {}), run.get("per_joule", {})
        if watts.get("value") and per_joule.get("value"):
            energy = f"{watts['value']:.0f} W, {per_joule['value'] / 1e6:.1f} MH/J"
        else:
            energy = "unavailable: " + clean(watts.get("reason") or "no reading", 120, keep_end=False)
        end = run.get("device_at_end") or {}
        if end.get("sm_clock_mhz"):
            clock = f"{end['sm_clock_mhz']} MHz"
    return [f"cuda:{n} sha256d", verified,
            f"{ours / 1e9:.2f} G H/s" if ours else "not measured",
            f"{theirs / 1e9:.2f} G H/s (nvcc)" if theirs else "not measured",
            f"{ours / theirs:.2f}" if ours and theirs else "n/a", energy, clock]


def gemm_rows(n, d):
    torch_by = {}
    for t in d.get("torch") or []:
        if isinstance(t, dict) and "dtype" in t and "n" in t:
            torch_by[(t["dtype"], t["n"])] = t.get("tflops")
    rows = []
    for g in d.get("gemm") or []:
        try:
            dtype = {"fp32": "float32", "fp16": "float16", "bf16": "bfloat16", "int8": "int8"}.get(g["dtype"], g["dtype"])
            unit = "TOPS" if g["dtype"] == "int8" else "TFLOP/s"
            anchor = torch_by.get((dtype, g["n"]))
            kernel = g.get("kernel") or {}
            ours = kernel.get("value") if isinstance(kernel, dict) else None
            copies = g.get("tflops")
            rows.append([f"cuda:{n} gemm {g['dtype']} {g['m']}×{g['n']}×{g['k']}" + (f" ({g['gpu_kernel']})" if g.get("gpu_kernel") else ""),
                         f"max rel err {g['max_relative_error']:.2e}",
                         (measurement_text(kernel, 1e12, unit) if ours else "not measured")
                         + (f"; {copies:.1f} with copies" if isinstance(copies, (int, float)) else ""),
                         f"{anchor:.1f} {unit} (cuBLAS)" if anchor else "not measured",
                         f"{ours / 1e12 / anchor:.2f}" if ours and anchor else "n/a", "", ""])
        except (KeyError, TypeError, ValueError) as e:
            rows.append([f"cuda:{n} gemm", f"unreadable: {clean(repr(e), 80)}", "", "", "", "", ""])
    return rows


def compare_section(raw, problems):
    report, problem = read_json(os.path.join(raw, "compare", "report.json"))
    if problem and os.path.exists(os.path.join(raw, "compare.txt")):
        problems.append(f"compare report: {problem}")
    lines = []
    try:
        for device in (report or {}).get("devices", []):
            for w in device.get("workloads", []):
                if w.get("status") != "measured":
                    lines.append(f"| {device['id']} | {w.get('workload')} | unavailable: {clean(w.get('reason'), 120, keep_end=False)} | | |")
                    continue
                watts, per_joule = w["watts"].get("value"), w["per_joule"].get("value")
                lines.append(f"| {device['id']} | {w['workload']} | {w['rate']['value']:.4g} {w['rate']['unit']} | "
                             + (f"{watts:.0f} W | {per_joule:.4g} {w['per_joule']['unit']} |" if watts and per_joule
                                else f"unavailable: {clean(w['watts'].get('reason'), 120, keep_end=False)} | |"))
            decision = device.get("decision")
            if decision:
                lines.append(f"| {device['id']} | verdict | {decision.get('winner')} earns more ({clean(decision.get('basis'), 160, keep_end=False)}) | | |")
    except (KeyError, TypeError, AttributeError) as e:
        problems.append(f"compare report: unreadable ({clean(repr(e), 120)})")
    return report, lines


def htb_figure(benchmark, parameters, devices):
    """htb's own figure for a BenchmarkDotNet case, as (value, low, high): the same work measured by the htb step."""
    params = dict(p.split("=", 1) for p in (parameters or "").split(", ") if "=" in p)
    d = devices.get(params.get("Device", ""))
    if not d:
        return None
    if benchmark.endswith("Search"):
        runs = d.get("hashrate")
        run = runs[0] if isinstance(runs, list) and runs and isinstance(runs[0], dict) else None
        value = (run or {}).get("rate", {}).get("value")
        return (value, value, value) if value else None
    if benchmark.endswith(".Kernel"):
        for g in d.get("gemm") or []:
            kernel = g.get("kernel") if isinstance(g, dict) else None
            if (isinstance(kernel, dict) and str(g.get("dtype")) == params.get("DataType", "").lower()
                    and str(g.get("m")) == params.get("M")):
                return kernel.get("value"), kernel.get("min"), kernel.get("max")
    return None


def bench_section(raw, devices, problems):
    """BenchmarkDotNet's energy sidecars, one row per benchmark case, beside htb's own figure for the same work."""
    rows, sources = [], []
    for path in sorted(glob.glob(os.path.join(raw, "bench", "results", "*-energy.json"))):
        doc, problem = read_json(path)
        sources.append(os.path.basename(path))
        if problem:
            problems.append(f"{os.path.basename(path)}: {problem}")
            continue
        try:
            for b in doc.get("benchmarks", []):
                def value(name):
                    item = b.get(name) or {}
                    return item.get("value") if item.get("source") == "measured" else None
                def reason(name):
                    return clean((b.get(name) or {}).get("reason") or "", 100, keep_end=False)
                throughput, watts, per_joule = value("throughput"), value("average_watts"), value("work_per_joule")
                unit = b.get("work_unit", "")
                ours = htb_figure(b.get("benchmark", ""), b.get("parameters"), devices)
                if ours and ours[0] and throughput:
                    # Agreement: inside htb's own window range, or within 5 % where htb gives one figure.
                    low, high = min(ours[1], ours[0] * 0.95), max(ours[2], ours[0] * 1.05)
                    agree = "yes" if low <= throughput <= high else f"NO ({throughput / ours[0]:.2f}×)"
                    beside = f"{figure(ours[0], unit + '/s', 4)} ({agree})"
                else:
                    beside = "n/a"
                rows.append([f"{b.get('benchmark')} {b.get('parameters')}",
                             figure(throughput, unit + "/s", 4), beside,
                             figure(watts, "W", 4) if watts else "unavailable: " + reason("average_watts"),
                             figure(per_joule, unit + "/J", 4) if per_joule else "unavailable: " + reason("work_per_joule")])
        except (AttributeError, TypeError, ValueError) as e:
            problems.append(f"{os.path.basename(path)}: unreadable ({clean(repr(e), 120)})")
    return rows, sources


def main(raw, out, budget=None):
    problems = []
    steps = steps_of(raw)
    devices_text = read(os.path.join(raw, "devices.txt")) or ""
    devices = sorted({int(m) for m in re.findall(r"^cuda:(\d+)", devices_text, re.M)})
    result = {
        # accept writes this marker after its last step: without it the run was cut short.
        "complete": os.path.exists(os.path.join(raw, "finished")),
        "budget_seconds": int(budget) if budget and str(budget).isdigit() else None,
        "seconds_used": sum(s["seconds"] for s in steps),
        "machine": {
            "gpus": clean(read(os.path.join(raw, "machine.csv")) or "unavailable", 2000),
            "cpu": clean(read(os.path.join(raw, "cpu.txt")) or "unavailable"),
            "nvcc": clean(((read(os.path.join(raw, "nvcc.txt")) or "unavailable").strip().splitlines() or [""])[-1]),
            "torch": clean(read(os.path.join(raw, "torch.txt")) or "unavailable"),
            "htb_devices": devices_text.strip() or "unavailable",
            "ilgpu_trace": clean(read(os.path.join(raw, "devices.txt.err")) or "", 2000),
        },
        "steps": steps,
        "devices": {},
    }
    rows = []
    # A dry run checks the GPU kernels on ILGPU's CPU accelerator instead.
    for path in sorted(glob.glob(os.path.join(raw, "verify-*.json"))):
        name = os.path.basename(path)[len("verify-"):-len(".json")]
        if not name.startswith("cuda"):
            verify, problem = read_json(path)
            checks = "; ".join(f"{c.get('name')}: {c.get('status')}" for c in (verify or {}).get("checks", []))
            rows.append([f"{name} verify", "verified" if (verify or {}).get("ok") else f"NOT verified {problem or ''}".strip(),
                         clean(checks, 300, keep_end=False), "", "", "", ""])
    for n in devices:
        d = device_section(raw, n, problems)
        result["devices"][f"cuda:{n}"] = d
        rows.append(sha256d_row(n, d))
        rows += gemm_rows(n, d)
    result["compare"], compare_lines = compare_section(raw, problems)
    bench_rows, bench_sources = bench_section(raw, result["devices"], problems)
    result["benchmarks"] = {"files": bench_sources, "rows": bench_rows}
    sass = read(os.path.join(raw, "sass.md"))
    result["sass"] = sass
    result["problems"] = problems

    failed = [s for s in steps if s["status"] in ("failed", "timeout")]
    md = ["# GPU acceptance run", ""]
    if not result["complete"]:
        md += ["**Partial: the run stopped before its last step; every figure below is from the steps that finished.**", ""]
    md += ["```", result["machine"]["gpus"], result["machine"]["cpu"], result["machine"]["torch"],
           result["machine"]["htb_devices"], "```", ""]
    md += ["| what | correctness | ours | anchor | ratio | energy | SM clock at end |", "|---|---|---:|---:|---:|---|---|"]
    md += ["| " + " | ".join(r) + " |" for r in rows] or ["| no CUDA device | | | | | | |"]
    if compare_lines:
        md += ["", "From `htb compare` (one energy window per workload):", "",
               "| device | workload | rate | power | per joule |", "|---|---|---:|---:|---:|"] + compare_lines
    if bench_rows:
        md += ["", "BenchmarkDotNet, in process (" + ", ".join(bench_sources) + "):", "",
               "| benchmark | throughput | htb's own figure (agrees?) | power | per joule |", "|---|---:|---:|---:|---:|"]
        md += ["| " + " | ".join(r) + " |" for r in bench_rows]
    md += ["", f"Steps: {sum(s['status'] == 'ok' for s in steps)} passed, {len(failed)} failed or timed out, "
           f"{sum(s['status'] == 'skipped' for s in steps)} skipped, {sum(s['status'] == 'needs a GPU' for s in steps)} need a GPU; "
           f"{result['seconds_used']} s used" + (f" of a {result['budget_seconds']} s budget" if result["budget_seconds"] else "") + ".", ""]
    md += ["| step | status | seconds | limit | detail |", "|---|---|---:|---:|---|"]
    for s in steps:
        detail = s.get("stderr_tail") or s.get("note") or ""
        md.append(f"| {clean(s['step'], 80)} | {s['status']} | {s['seconds']} | {s['limit_seconds'] or ''} | {clean(detail, 300)} |")
    if problems:
        md += ["", "Files that could not be read:"] + [f"- {clean(p, 300)}" for p in problems]
    if sass:
        md += ["", sass]
    with open(os.path.join(out, "results.json.part"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
    os.replace(os.path.join(out, "results.json.part"), os.path.join(out, "results.json"))
    with open(os.path.join(out, "results.md.part"), "w", encoding="utf-8") as f:
        f.write("\n".join(md) + "\n")
    os.replace(os.path.join(out, "results.md.part"), os.path.join(out, "results.md"))
    print("\n".join(md))
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: summarize.py RAW OUT [BUDGET_SECONDS]")
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None))
