#!/usr/bin/env python3
"""Summarizes a bench/gpu/accept run: RAW (the steps' own files) -> OUT/results.json and OUT/results.md.

Every figure in the summary is read from a file a step wrote; a step that failed or did not run is
reported as such, never filled in. Prints the Markdown table last.
"""
import glob
import json
import os
import re
import sys


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None


def read_json(path):
    text = read(path)
    try:
        return json.loads(text) if text else None
    except json.JSONDecodeError:
        return None


def main(raw, out):
    steps = [json.loads(line) for line in (read(os.path.join(raw, "steps.jsonl")) or "").splitlines() if line.strip()]
    devices = sorted({int(m) for m in re.findall(r"^cuda:(\d+)", read(os.path.join(raw, "devices.txt")) or "", re.M)})
    result = {
        "machine": {
            "gpus": (read(os.path.join(raw, "machine.csv")) or "unavailable").strip(),
            "cpu": (read(os.path.join(raw, "cpu.txt")) or "unavailable").strip(),
            "nvcc": (read(os.path.join(raw, "nvcc.txt")) or "unavailable").strip().splitlines()[-1:],
            "torch": (read(os.path.join(raw, "torch.txt")) or "unavailable").strip(),
            "htb_devices": (read(os.path.join(raw, "devices.txt")) or "unavailable").strip(),
        },
        "steps": steps,
        "sass": read(os.path.join(raw, "sass.md")),
        "devices": {},
    }
    rows = []
    for n in devices:
        d = {
            "verify": read_json(os.path.join(raw, f"verify-cuda{n}.json")),
            "hashrate": read_json(os.path.join(raw, f"hashrate-cuda{n}.json")),
            "reference": read_json(os.path.join(raw, f"ref-cuda{n}.json")),
            "gemm": [read_json(p) for p in sorted(glob.glob(os.path.join(raw, f"gemm-cuda{n}-*.json")))],
            "torch": [json.loads(l) for l in (read(os.path.join(raw, f"torch-cuda{n}.jsonl")) or "").splitlines() if l.strip()],
        }
        result["devices"][f"cuda:{n}"] = d
        rate = d["hashrate"][0] if d["hashrate"] else None
        ref = d["reference"]
        ours = rate["rate"]["value"] if rate and rate.get("status") == "measured" else None
        theirs = ref["hashes_per_second"] if ref else None
        watts = rate["watts"]["value"] if rate and ours else None
        per_joule = rate["per_joule"]["value"] if rate and ours else None
        reason = rate["watts"].get("reason", "") if rate and ours else "not run"
        clock = (rate or {}).get("device_at_end", {}).get("sm_clock_mhz")
        rows.append((f"cuda:{n} sha256d", "verified" if d["verify"] and d["verify"].get("ok") else "NOT verified",
                     f"{ours / 1e9:.2f} G H/s" if ours else "failed", f"{theirs / 1e9:.2f} G H/s" if theirs else "failed",
                     f"{ours / theirs:.2f}" if ours and theirs else "n/a",
                     f"{watts:.0f} W, {per_joule / 1e6:.1f} MH/J" if watts and per_joule else f"unavailable: {reason}",
                     f"{clock} MHz" if clock else "n/a"))
        torch_by = {(t["dtype"], t["n"]): t["tflops"] for t in d["torch"]}
        for g in d["gemm"]:
            if not g:
                continue
            anchor = torch_by.get(("float32" if g["dtype"] == "fp32" else "float16", g["n"]))
            # The kernel alone (operands on the device) is what cuBLAS's figure measures too.
            ours = g.get("kernelTflops", g["tflops"])
            rows.append((f"cuda:{n} gemm {g['dtype']} {g['m']}x{g['n']}x{g['k']}", f"max rel err {g['maxRelativeError']:.2e}",
                         f"{ours:.1f} TFLOP/s ({g['tflops']:.1f} with copies)", f"{anchor:.1f} TFLOP/s" if anchor else "failed",
                         f"{ours / anchor:.2f}" if anchor else "n/a", "", ""))
    compare = read_json(os.path.join(raw, "compare", "report.json"))
    result["compare"] = compare
    energy_rows = []
    for device in (compare or {}).get("devices", []):
        for w in device["workloads"]:
            if w.get("status") != "measured":
                energy_rows.append(f"| {device['id']} | {w['workload']} | unavailable: {w.get('reason')} | | |")
                continue
            unit = w["rate"]["unit"]
            watts, per_joule = w["watts"]["value"], w["per_joule"]["value"]
            energy_rows.append(f"| {device['id']} | {w['workload']} | {w['rate']['value']:.4g} {unit} | "
                               + (f"{watts:.0f} W | {per_joule:.4g} {w['per_joule']['unit']} |" if watts else f"unavailable: {w['watts'].get('reason')} | |"))
    failed = [s for s in steps if s["rc"] != 0]
    md = ["# GPU acceptance run", "", "```", result["machine"]["gpus"], result["machine"]["htb_devices"], "```", ""]
    md += ["| what | correctness | ours | anchor (nvcc / cuBLAS) | ratio | energy | SM clock at end |", "|---|---|---:|---:|---:|---|---|"]
    md += ["| " + " | ".join(r) + " |" for r in rows] or ["| no CUDA device | | | | | | |"]
    if energy_rows:
        md += ["", "From `htb compare --duration 10` (one NVML window per workload):", "",
               "| device | workload | rate | power | per joule |", "|---|---|---:|---:|---:|"] + energy_rows
        md += [f"- {d['id']}: {d['decision']['winner']} earns more ({d['decision']['basis']})" for d in compare["devices"] if d.get("decision")]
    md += ["", f"Steps: {len(steps) - len(failed)} passed, {len(failed)} failed."]
    md += [f"- FAILED {s['step']} (rc {s['rc']}): {s['stderr']}" for s in failed]
    if result["sass"]:
        md += ["", result["sass"]]
    with open(os.path.join(out, "results.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
    with open(os.path.join(out, "results.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
