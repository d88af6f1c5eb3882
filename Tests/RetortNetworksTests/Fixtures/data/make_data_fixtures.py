"""Writes the data and metrics fixtures for RetortNetworksTests (deterministic).

Run from anywhere with: /opt/torchenv/bin/python make_data_fixtures.py
Produces tiny .npy, IDX (plain and gzip) and CSV files plus expected.json, whose values
are computed here with numpy (the ECE uses the usual 15 equal-width bins on the max
softmax probability: sum_b |B_b|/N * |acc(B_b) - conf(B_b)|).
"""
import gzip
import io
import json
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def write_bytes(name, data):
    with open(path(name), "wb") as f:
        f.write(data)


def gzip_bytes(data):
    buffer = io.BytesIO()
    # mtime=0 and no file name keep the bytes identical from run to run.
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as f:
        f.write(data)
    return buffer.getvalue()


def idx_bytes(array, type_code, fmt):
    header = struct.pack(">BBBB", 0, 0, type_code, array.ndim)
    header += b"".join(struct.pack(">I", d) for d in array.shape)
    return header + array.astype(fmt).tobytes()


expected = {}

# ---- NPY -------------------------------------------------------------------------------
base = np.array([[0.5, -1.25, 2.0, 3.75], [4.0, 5.5, -6.0, 7.125], [8.0, 9.0, 10.5, -11.0]])
np.save(path("features_f4.npy"), base.astype("<f4"))
np.save(path("features_f8.npy"), base.astype("<f8"))
ints = np.array([[0, 1, -2], [300, 4, 5]])
np.save(path("ints_i8.npy"), ints.astype("<i8"))
np.save(path("ints_i4.npy"), ints.astype("<i4"))
np.save(path("bytes_u1.npy"), np.array([[0, 7, 255], [1, 2, 3]], dtype="u1"))
np.save(path("labels_i8.npy"), np.array([2, 0, 1], dtype="<i8"))
np.save(path("labels_bad.npy"), np.array([0.0, 1.5, 2.0], dtype="<f4"))
images = np.arange(12, dtype="<f4").reshape(3, 1, 2, 2) / 10
np.save(path("images_f4.npy"), images)
with open(path("features_v2.npy"), "wb") as f:
    np.lib.format.write_array(f, base.astype("<f4"), version=(2, 0))
np.save(path("fortran.npy"), np.asfortranarray(base.astype("<f4")))
np.save(path("bigendian.npy"), base.astype(">f4"))
write_bytes("bad_magic.npy", b"PK\x03\x04 this is a zip archive, not an npy file")
expected["npy_base"] = base.flatten().tolist()
expected["npy_ints"] = ints.flatten().tolist()
expected["npy_images"] = images.flatten().tolist()

# ---- IDX -------------------------------------------------------------------------------
idx_images = np.array(
    [[[0, 255], [128, 64]], [[1, 2], [3, 4]], [[250, 0], [0, 250]]], dtype=np.uint8)
idx_labels = np.array([7, 0, 9], dtype=np.uint8)
image_bytes = idx_bytes(idx_images, 0x08, ">u1")
label_bytes = idx_bytes(idx_labels, 0x08, ">u1")
write_bytes("images-idx3-ubyte", image_bytes)
write_bytes("labels-idx1-ubyte", label_bytes)
write_bytes("images-idx3-ubyte.gz", gzip_bytes(image_bytes))
write_bytes("labels-idx1-ubyte.gz", gzip_bytes(label_bytes))
compressed = gzip_bytes(image_bytes)
write_bytes("truncated-idx3-ubyte.gz", compressed[: len(compressed) // 2])
floats = np.array([[1.5, -2.0, 0.25], [3.0, 4.0, -0.5]])
write_bytes("floats-idx2-float", idx_bytes(floats, 0x0D, ">f4"))
write_bytes("ints-idx1-int", idx_bytes(np.array([-5, 70000, 3]), 0x0C, ">i4"))
write_bytes("short-idx3-ubyte", image_bytes[:-3])
expected["idx_images"] = idx_images.flatten().tolist()
expected["idx_labels"] = idx_labels.tolist()

# ---- CSV -------------------------------------------------------------------------------
with open(path("flowers.csv"), "w") as f:
    f.write("sepal length,sepal width,\"species\"\n")
    f.write("5.1,3.5,setosa\n")
    f.write("7.0,3.2,\"versicolor\"\n")
    f.write("\n")
    f.write("6.3,3.3,virginica\r\n")
    f.write("4.9, 3.0 ,setosa\n")
with open(path("missing.csv"), "w") as f:
    f.write("a,b,label\n1,2,0\n3,,1\n")

# ---- Metrics ---------------------------------------------------------------------------
rng = np.random.default_rng(7)
n, c = 60, 5
labels = rng.integers(0, c, size=n)
# The first half is under-confident (flat but mostly right), the second over-confident
# (peaked but often wrong), so the bin gaps have both signs and the ECE depends on the
# binning: with gaps of one sign it would reduce to mean(conf) - accuracy for any bins.
logits = rng.normal(0, 1.0, size=(n, c))
logits[: n // 2] *= 0.3
logits[np.arange(n // 2), labels[: n // 2]] += 0.8
logits[n // 2 :] *= 4.0
logits[np.arange(n // 2, n), labels[n // 2 :]] += rng.normal(1.0, 2.0, size=n - n // 2)
logits = logits.astype(np.float32)
shifted = logits.astype(np.float64) - logits.max(axis=1, keepdims=True)
probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
confidence = probs.max(axis=1)
predictions = probs.argmax(axis=1)
hits = (predictions == labels).astype(np.float64)
edges = np.linspace(0, 1, 16)
ece = 0.0
for lower, upper in zip(edges[:-1], edges[1:]):
    in_bin = (confidence > lower) & (confidence <= upper)
    if in_bin.any():
        ece += in_bin.mean() * abs(hits[in_bin].mean() - confidence[in_bin].mean())
nll = float(-(shifted[np.arange(n), labels] - np.log(np.exp(shifted).sum(axis=1))).mean())
top2 = float(np.mean([labels[i] in np.argsort(-logits[i])[:2] for i in range(n)]))
eces = {}
for bins in (10, 15, 20):
    bin_edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lower, upper in zip(bin_edges[:-1], bin_edges[1:]):
        in_bin = (confidence > lower) & (confidence <= upper)
        if in_bin.any():
            total += in_bin.mean() * abs(hits[in_bin].mean() - confidence[in_bin].mean())
    eces[bins] = total
assert abs(eces[15] - ece) < 1e-12
# The check above is only meaningful if the binning matters for this data.
assert abs(eces[10] - eces[15]) > 1e-3 and abs(eces[20] - eces[15]) > 1e-3, eces
expected["metrics"] = {
    "logits": logits.flatten().tolist(),
    "shape": [n, c],
    "labels": labels.tolist(),
    "accuracy": float(hits.mean()),
    "top2": top2,
    "nll": nll,
    "ece": float(ece),
    "ece10": float(eces[10]),
}

with open(path("expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
