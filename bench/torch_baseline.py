#!/usr/bin/env python3
"""PyTorch's side of retort-bench: the same workloads on the same data, timed on the CPU.

Prints one JSON object (or writes it with --json FILE) that `retort-bench --torch FILE`
reads to print Retort and PyTorch side by side. Workloads, all float32, 2 threads:

  digits (1797 8x8 images, pixels / 16, stratified 80/20 split -> 1437 training examples)
    teacher  MLP 64-512-512-10, ReLU, dropout 0.2, Adam 1e-3, batch 64: seconds per epoch
             (the fastest of 8 after a warm-up; the median is kept as *_median_s)
    student  MLP 64-32-10, same optimiser and batch: seconds per epoch
    distill  student from the frozen teacher, loss 0.3*CE + 0.7*KD(T=4) with KD the
             batch-mean KL(p_t || p_s) times T^2; the teacher runs on every batch in eval
             mode under no_grad (PyTorch has no teacher cache)
  fashion-mnist (60000 28x28 images, pixels / 255)
    teacher  MLP 784-1200-1200-10, dropout 0.2, Adam 1e-3, batch 64: seconds per epoch,
             the fastest of 3 (no warm-up: the first epoch is timed like the others)
  batch-1 inference latency of the digits teacher and student (median, p95)
  `import torch`: seconds and peak RSS, in a fresh interpreter
  quickstart-like run (teacher 15 epochs, distilled student 30): peak RSS, own process
  accuracy on the digits test split after that recipe, 3 seeds: mean and std

The script takes about three to four minutes on a 2-core machine, most of it the
Fashion-MNIST epochs.
"""

import argparse
import gzip
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DIGITS_CSV = os.path.join(HERE, "..", "Sources", "RetortNetworks", "Resources", "digits.csv")
FASHION_DIR = "/usr/share/datasets/fashion-mnist"

# The recipe of the accuracy comparison (the training tests' recipe, see TrainingTests.swift).
TEACHER_EPOCHS = 15
STUDENT_EPOCHS = 30
STUDENT_LR = 5e-3
TEMPERATURE = 4.0
# Fashion-MNIST epochs timed (the fastest is kept), as retort-bench does.
FASHION_EPOCHS = 3


# MARK: - Data


def stratified_split(labels, fractions, seed):
    """Per class: shuffle, then cut by the largest-remainder rule (ties to the earlier part),
    as Dataset.split does; the indices differ from Retort's (another RNG), the sizes do not."""
    rng = np.random.default_rng(seed)
    parts = [[] for _ in fractions]
    for label in np.unique(labels):
        group = np.flatnonzero(labels == label)
        rng.shuffle(group)
        exact = [f * len(group) for f in fractions]
        sizes = [int(np.floor(e)) for e in exact]
        order = sorted(range(len(fractions)), key=lambda k: (-(exact[k] - sizes[k]), k))
        for k in order[: len(group) - sum(sizes)]:
            sizes[k] += 1
        start = 0
        for k, size in enumerate(sizes):
            parts[k].extend(group[start : start + size])
            start += size
    return [np.sort(np.array(p, dtype=np.int64)) for p in parts]


SPLIT_FILE = None  # set by --split: Retort's own train/test indices, for the same examples


def load_digits():
    table = np.loadtxt(DIGITS_CSV, delimiter=",", skiprows=1, dtype=np.float32)
    x = torch.from_numpy(table[:, :64] / 16.0)
    y = torch.from_numpy(table[:, 64].astype(np.int64))
    if SPLIT_FILE:
        with open(SPLIT_FILE) as handle:
            split = json.load(handle)
        train = np.array(split["train"], dtype=np.int64)
        test = np.array(split["test"], dtype=np.int64)
    else:
        train, test = stratified_split(y.numpy(), [0.8, 0.2], seed=42)
    return x[train], y[train], x[test], y[test]


def read_idx(path):
    with gzip.open(path, "rb") as handle:
        data = handle.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_fashion():
    images = os.path.join(FASHION_DIR, "train-images-idx3-ubyte.gz")
    labels = os.path.join(FASHION_DIR, "train-labels-idx1-ubyte.gz")
    if not (os.path.exists(images) and os.path.exists(labels)):
        return None
    x = torch.from_numpy(read_idx(images).reshape(-1, 784).astype(np.float32) / 255.0)
    y = torch.from_numpy(read_idx(labels).astype(np.int64))
    return x, y


# MARK: - Models and epochs


def mlp(widths, dropout=0.0):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(nn.ReLU())
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


def kd_loss(student_logits, teacher_logits, labels, temperature=TEMPERATURE):
    # KL(p_t || p_s) at temperature T, batch mean, times T^2 so the soft-target gradients
    # keep their size as T grows (Hinton et al. 2015); then 0.3 CE + 0.7 KD.
    kd = F.kl_div(
        F.log_softmax(student_logits / temperature, dim=1),
        F.softmax(teacher_logits / temperature, dim=1),
        reduction="batchmean",
    ) * (temperature * temperature)
    return 0.3 * F.cross_entropy(student_logits, labels) + 0.7 * kd


def train_epoch(model, optimizer, x, y, batch=64, teacher=None):
    """One shuffled pass; returns its wall-clock seconds. Batches are index slices of the
    in-memory tensors (no DataLoader, which would only add Python overhead)."""
    start = time.perf_counter()
    model.train()
    order = torch.randperm(len(y))
    for first in range(0, len(y), batch):
        index = order[first : first + batch]
        features, labels = x[index], y[index]
        logits = model(features)
        if teacher is None:
            loss = F.cross_entropy(logits, labels)
        else:
            with torch.no_grad():
                teacher_logits = teacher(features)
            loss = kd_loss(logits, teacher_logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return time.perf_counter() - start


def seconds_per_epoch(model, x, y, epochs, lr=1e-3, teacher=None):
    """The fastest and the median of `epochs` epochs after one unmeasured warm-up epoch.
    The fastest is the headline: on a shared machine other jobs only ever slow an epoch
    down, and PyTorch's two OpenMP threads suffer badly when one of them is descheduled."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    train_epoch(model, optimizer, x, y, teacher=teacher)
    times = [train_epoch(model, optimizer, x, y, teacher=teacher) for _ in range(epochs)]
    return min(times), statistics.median(times)


def accuracy(model, x, y):
    model.eval()
    with torch.inference_mode():
        return (model(x).argmax(dim=1) == y).float().mean().item()


def recipe(seed, data):
    """The quickstart recipe: teacher from labels, then the student distilled from it."""
    x, y, x_test, y_test = data
    torch.manual_seed(seed)
    teacher = mlp([64, 512, 512, 10], dropout=0.2)
    optimizer = torch.optim.Adam(teacher.parameters(), lr=1e-3)
    for _ in range(TEACHER_EPOCHS):
        train_epoch(teacher, optimizer, x, y)
    teacher.eval()
    student = mlp([64, 32, 10])
    optimizer = torch.optim.Adam(student.parameters(), lr=STUDENT_LR)
    for _ in range(STUDENT_EPOCHS):
        train_epoch(student, optimizer, x, y, teacher=teacher)
    return accuracy(teacher, x_test, y_test), accuracy(student, x_test, y_test)


# MARK: - Latency, start-up, memory


def latency(model, example, calls=2000):
    """Batch-1 forward passes: median and p95 in microseconds."""
    model.eval()
    times = []
    with torch.inference_mode():
        for _ in range(200):
            model(example)
        for _ in range(calls):
            start = time.perf_counter_ns()
            model(example)
            times.append(time.perf_counter_ns() - start)
    times.sort()
    return {
        "median_us": times[len(times) // 2] / 1e3,
        "p95_us": times[int(0.95 * len(times)) - 1] / 1e3,
    }


def import_cost(runs=3):
    """`import torch` in a fresh interpreter: the median seconds and the largest peak RSS."""
    code = (
        "import time, resource; t = time.perf_counter(); import torch; "
        "d = time.perf_counter() - t; "
        "print(d, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    seconds, peaks = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout.split()
        seconds.append(float(out[0]))
        peaks.append(int(out[1]) / 1024)  # ru_maxrss is in KiB on Linux
    return statistics.median(seconds), max(peaks)


def peak_rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quickstart_memory():
    """Run in a child process: the recipe once, then this process's peak resident memory."""
    torch.set_num_threads(2)
    recipe(0, load_digits())
    print(peak_rss_mb())


# MARK: - Main


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", help="write the results to this file instead of stdout")
    parser.add_argument("--quick", action="store_true", help="skip Fashion-MNIST")
    parser.add_argument("--quickstart-memory", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--split", help="digits train/test indices (retort-bench --write-digits-split)")
    args = parser.parse_args()
    global SPLIT_FILE
    SPLIT_FILE = args.split
    if args.quickstart_memory:
        quickstart_memory()
        return

    torch.set_num_threads(2)
    torch.manual_seed(0)
    log = lambda message: print(message, file=sys.stderr, flush=True)
    result = {
        "torch_version": torch.__version__,
        "python_version": platform.python_version(),
        "threads": torch.get_num_threads(),
    }
    digits = load_digits()
    x, y, _, _ = digits
    result["digits_train_examples"] = len(y)

    log("torch: digits epochs")
    teacher = mlp([64, 512, 512, 10], dropout=0.2)
    student = mlp([64, 32, 10])
    distilled = mlp([64, 32, 10])
    for name, model, guide in (("teacher", teacher, None), ("student", student, None),
                               ("distill", distilled, teacher)):
        if guide is not None:
            guide.eval()
        best, middle = seconds_per_epoch(model, x, y, epochs=8, teacher=guide)
        result[f"digits_{name}_epoch_s"] = best
        result[f"digits_{name}_epoch_median_s"] = middle

    log("torch: batch-1 latency")
    example = x[:1].clone()
    result["teacher_latency"] = latency(teacher, example)
    result["student_latency"] = latency(student, example)

    log("torch: import cost")
    result["import_s"], result["import_peak_mb"] = import_cost()

    log("torch: quickstart-like run, peak memory")
    out = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--quickstart-memory"],
        capture_output=True, text=True, check=True).stdout
    result["quickstart_peak_mb"] = float(out.split()[-1])

    log("torch: accuracy, 3 seeds")
    scores = [recipe(seed, digits) for seed in (1, 2, 3)]
    for role, column in (("teacher", 0), ("student", 1)):
        values = [s[column] for s in scores]
        result[f"{role}_accuracy"] = {
            "mean": statistics.mean(values), "std": statistics.stdev(values), "runs": values,
        }
    result["recipe"] = (f"teacher {TEACHER_EPOCHS} epochs at 1e-3; student distilled "
                        f"{STUDENT_EPOCHS} epochs at {STUDENT_LR}, 0.3 ce + 0.7 kd(T=4)")

    fashion = None if args.quick else load_fashion()
    if fashion is not None:
        log(f"torch: Fashion-MNIST 784-1200-1200-10, {FASHION_EPOCHS} epochs")
        fx, fy = fashion
        model = mlp([784, 1200, 1200, 10], dropout=0.2)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        times = [train_epoch(model, optimizer, fx, fy) for _ in range(FASHION_EPOCHS)]
        result["fashion_teacher_epoch_s"] = min(times)
        result["fashion_teacher_epoch_median_s"] = statistics.median(times)

    text = json.dumps(result, indent=2, sort_keys=True)
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as handle:
            handle.write(text + "\n")
        log(f"wrote {args.json}")
    else:
        print(text)


if __name__ == "__main__":
    main()
