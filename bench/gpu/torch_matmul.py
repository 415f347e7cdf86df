#!/usr/bin/env python3
"""cuBLAS through PyTorch, the GEMM anchor measured in the same run as HashTensorBench's kernels.

    python3 bench/gpu/torch_matmul.py --device 0 --sizes 8192 4096 [--seconds 2]

Prints one JSON object per line: {"dtype", "n", "tflops" (the median window; tera-operations for int8),
"min_tflops", "max_tflops", "spread", "windows", "seconds", "precision", "torch", "cuda", "device"}, or
{"dtype", "n", "error"} when this PyTorch cannot run a type. INT8 is torch._int_mm (int8 inputs, int32 output,
cuBLASLt's IMMA kernels), the anchor for HashTensorBench's INT8 GEMM. FP32 runs as true SGEMM (TF32 off
through torch.backends.cuda.matmul.fp32_precision = "ieee", the switch that replaced allow_tf32); FP16 and
BF16 keep FP32 reductions (reduced-precision reduction off), as HashTensorBench's kernels accumulate in FP32.
"""
import argparse
import json
import statistics
import time

import torch


def configure_precision() -> dict:
    """Sets and returns the precision settings every product below runs with."""
    matmul = torch.backends.cuda.matmul
    if hasattr(matmul, "fp32_precision"):
        matmul.fp32_precision = "ieee"
    else:  # PyTorch before 2.9 has only the legacy switch
        matmul.allow_tf32 = False
    matmul.allow_fp16_reduced_precision_reduction = False
    matmul.allow_bf16_reduced_precision_reduction = False
    return {
        "fp32_precision": getattr(matmul, "fp32_precision", None) or ("tf32" if matmul.allow_tf32 else "ieee"),
        "fp16_reduced_precision_reduction": matmul.allow_fp16_reduced_precision_reduction,
        "bf16_reduced_precision_reduction": matmul.allow_bf16_reduced_precision_reduction,
    }


def measure(n: int, dtype: torch.dtype, device: torch.device, seconds: float, precision: dict) -> dict:
    if dtype == torch.int8:
        a = torch.randint(-128, 128, (n, n), device=device, dtype=dtype)
        b = torch.randint(-128, 128, (n, n), device=device, dtype=dtype)
        product = torch._int_mm
    else:
        a = torch.randn(n, n, device=device, dtype=dtype)
        b = torch.randn(n, n, device=device, dtype=dtype)
        product = torch.matmul
    # Warm up for a quarter of a second: cuBLAS picks its kernel, the clocks ramp up.
    wall = time.perf_counter()
    while time.perf_counter() - wall < 0.25:
        product(a, b)
        torch.cuda.synchronize(device)
    per_window = 5
    rates = []
    total = 0.0
    while total < seconds or len(rates) < 5:
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(per_window):
            product(a, b)
        end.record()
        end.synchronize()
        elapsed = start.elapsed_time(end) / 1e3
        total += elapsed
        rates.append(2 * n**3 * per_window / elapsed / 1e12)
    median = statistics.median(rates)
    return {"dtype": str(dtype).removeprefix("torch."), "n": n, "tflops": median, "min_tflops": min(rates),
            "max_tflops": max(rates), "spread": (max(rates) - min(rates)) / median, "windows": len(rates),
            "seconds": total, "precision": precision, "torch": torch.__version__, "cuda": torch.version.cuda,
            "device": torch.cuda.get_device_name(device)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--device", type=int, default=0)
    parser.add_argument("--sizes", type=int, nargs="+", default=[8192, 4096])
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    precision = configure_precision()
    # The device is made current before any event is created, so every event times this device's stream.
    torch.cuda.set_device(args.device)
    device = torch.device("cuda", args.device)
    for n in args.sizes:
        for dtype in (torch.bfloat16, torch.float16, torch.int8, torch.float32):
            try:
                print(json.dumps(measure(n, dtype, device, args.seconds, precision)), flush=True)
            except (RuntimeError, AttributeError) as e:  # an old PyTorch without _int_mm, or no kernel for this GPU
                print(json.dumps({"dtype": str(dtype).removeprefix("torch."), "n": n, "error": str(e)[:300]}), flush=True)


if __name__ == "__main__":
    main()
