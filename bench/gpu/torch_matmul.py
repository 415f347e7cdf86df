#!/usr/bin/env python3
"""cuBLAS through PyTorch, the GEMM anchor measured in the same run as HashTensorBench's kernels.

    python3 bench/gpu/torch_matmul.py --device 0 --sizes 4096 8192 [--seconds 2]

Prints one JSON object per line: {"dtype", "n", "tflops", "seconds", "iterations", "torch", "cuda"}.
FP32 runs with TF32 off (true SGEMM); FP16 is HGEMM with FP16 inputs and outputs (cuBLAS accumulates in FP32).
"""
import argparse
import json
import time

import torch


def measure(n: int, dtype: torch.dtype, device: torch.device, seconds: float) -> dict:
    a = torch.randn(n, n, device=device, dtype=dtype)
    b = torch.randn(n, n, device=device, dtype=dtype)
    for _ in range(3):
        torch.matmul(a, b)
    torch.cuda.synchronize(device)
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    iterations = 0
    wall = time.perf_counter()
    start.record()
    while time.perf_counter() - wall < seconds:
        for _ in range(5):
            torch.matmul(a, b)
        iterations += 5
        torch.cuda.synchronize(device)
    end.record()
    torch.cuda.synchronize(device)
    elapsed = start.elapsed_time(end) / 1e3
    return {"dtype": str(dtype).removeprefix("torch."), "n": n, "tflops": 2 * n**3 * iterations / elapsed / 1e12,
            "seconds": elapsed, "iterations": iterations, "torch": torch.__version__, "cuda": torch.version.cuda}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--device", type=int, default=0)
    parser.add_argument("--sizes", type=int, nargs="+", default=[4096, 8192])
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    device = torch.device("cuda", args.device)
    for dtype in (torch.float32, torch.float16):
        for n in args.sizes:
            print(json.dumps(measure(n, dtype, device, args.seconds)), flush=True)


if __name__ == "__main__":
    main()
