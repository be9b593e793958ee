"""Fine-tune face-api's expression net (four dense blocks of separable convolutions, its fc cut to our
five classes as the starting head) on FER+ and every wild source, with the paper's recipe (class
weights by `mu`, dropout, L1/L2, augmentation, Adam with the learning rate halved on a plateau) and
what keeps the original net's general skill: distillation towards the original net on every
training face, and a mix of the fine-tuned weights with the original ones chosen on validation
(weight-space ensembling). Then a logit-bias calibration on validation.

Training only (Debian's python3-torch, CPU): tfjs on wasm has no convolution filter gradients, and
torch trains this trunk ~100x faster here (tools/train/README.md). Driven by `npm run train`
(tools/train/index.ts), which exports the data and the initial weights, and turns the weights this
script writes (tfjs layouts and face-api's names) into the shipped, quantized tfjs model.

Selection never looks at a test split: it is by the mean of the validation macro-F1s of FER+ and the
wild sources in SELECT (`--select`), each with predictions restricted to the classes its source has.
`--hold-out nhfi` leaves a source out of training entirely, so its valid split is a population the
model never saw (how recipes are compared); the shipped model trains on everything.
"""
import argparse
import json
import math
import os
import random
import signal
import time

import ctypes

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# glibc hands every large tensor buffer back to the kernel and faults it in again on the next batch:
# most of the time went to the kernel (inference 4x slower). Keep freed memory in the process.
try:
    _libc = ctypes.CDLL("libc.so.6")
    _libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD: the largest value glibc accepts
    _libc.mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD
    _libc.mallopt(-2, 256 << 20)  # M_TOP_PAD
except OSError:
    pass

# face-api's input normalization: (rgb - mean) / 255.
MEAN = torch.tensor([122.782, 117.001, 104.298]).view(1, 3, 1, 1)
# Sources scored within, and the label indices each has (labels: angry, happy, neutral, sad, surprise).
# Cap on a class weight: a class with a handful of rows in a source (11 webcam surprises) would
# otherwise weigh 50x and be memorized.
MAX_WEIGHT = 10.0
SOURCES = {
    "ferplus": [0, 1, 2, 3, 4],
    "nhfi": [0, 1, 2, 3, 4],
    "sfew": [0, 1, 2, 3, 4],
    "affectnet96": [0, 1, 2],
    "oahega": [0, 1, 3],
    "webcam-colour": [0, 1, 2, 3],
}
# The sources selection is by: each holds several classes from one population (nhfi, sfew,
# affectnet96), or is the webcam look users show, plus FER+. oahega is reported, not selected on: the
# source the last model fitted most (class and source confounded there).
SELECT = ["ferplus", "nhfi", "sfew", "affectnet96", "webcam-colour"]
# face-api's fc rows for our labels (angry, happy, neutral, sad, surprise) among its
# neutral, happy, sad, angry, fearful, disgusted, surprised.
FACEAPI_ROWS = [3, 1, 0, 2, 6]


# ---------------------------------------------------------------- model (face-api's layout)
def same_pad(x, stride):
    # TensorFlow 'same' padding for a 3x3 kernel: stride 2 on an even size pads bottom/right only.
    return F.pad(x, (0, 1, 0, 1)) if stride == 2 else F.pad(x, (1, 1, 1, 1))


class Separable(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.stride = stride
        self.depthwise = nn.Conv2d(cin, cin, 3, stride, 0, groups=cin, bias=False)
        self.pointwise = nn.Conv2d(cin, cout, 1, bias=True)

    def forward(self, x):
        return self.pointwise(self.depthwise(same_pad(x, self.stride)))


class DenseBlock(nn.Module):
    def __init__(self, cin, cout, first):
        super().__init__()
        self.first = first
        self.conv0 = nn.Conv2d(cin, cout, 3, 2, 0) if first else Separable(cin, cout, 2)
        self.conv1 = Separable(cout, cout, 1)
        self.conv2 = Separable(cout, cout, 1)
        self.conv3 = Separable(cout, cout, 1)

    def forward(self, x):
        o1 = F.relu(self.conv0(same_pad(x, 2)) if self.first else self.conv0(x))
        o2 = self.conv1(o1)
        o3 = self.conv2(F.relu(o1 + o2))
        o4 = self.conv3(F.relu(o1 + o2 + o3))
        return F.relu(o1 + o2 + o3 + o4)


class Net(nn.Module):
    def __init__(self, hidden, dropout, classes=5):
        super().__init__()
        self.blocks = nn.ModuleList([DenseBlock(3, 32, True), DenseBlock(32, 64, False), DenseBlock(64, 128, False), DenseBlock(128, 256, False)])
        dims = [256] + list(hidden) + [classes]
        self.head = nn.ModuleList([nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:])])
        self.dropout = dropout

    def features(self, x):
        for b in self.blocks:
            x = b(x)
        return x.mean((2, 3))

    def forward(self, x):
        h = self.features(x)
        for i, layer in enumerate(self.head):
            h = layer(F.dropout(h, self.dropout, self.training))
            if i < len(self.head) - 1:
                h = F.relu(h)
        return h


def load_init(net, path, calibration=None):
    """face-api's trunk weights (tfjs layouts, float32) into the torch modules; from an exported run
    (export_weights: head/dense<i>, `calibration` taken back out of the last bias), its head too."""
    meta = json.load(open(path + ".json"))
    meta = meta["weights"] if isinstance(meta, dict) else meta
    raw = np.fromfile(path + ".bin", dtype=np.float32)
    tensors = {}
    for w in meta:
        n = int(np.prod(w["shape"]))
        tensors[w["name"]] = torch.from_numpy(raw[w["offset"]: w["offset"] + n].reshape(w["shape"]).copy())
    for i, block in enumerate(net.blocks):
        for j in range(4):
            p = f"dense{i}/conv{j}"
            conv = getattr(block, f"conv{j}")
            if isinstance(conv, nn.Conv2d):  # [3,3,cin,cout] -> [cout,cin,3,3]
                conv.weight.data = tensors[f"{p}/filters"].permute(3, 2, 0, 1).contiguous()
                conv.bias.data = tensors[f"{p}/bias"].clone()
            else:  # depthwise [3,3,c,1] -> [c,1,3,3]; pointwise [1,1,cin,cout] -> [cout,cin,1,1]
                conv.depthwise.weight.data = tensors[f"{p}/depthwise_filter"].permute(2, 3, 0, 1).contiguous()
                conv.pointwise.weight.data = tensors[f"{p}/pointwise_filter"].permute(3, 2, 0, 1).contiguous()
                conv.pointwise.bias.data = tensors[f"{p}/bias"].clone()
    if "head/dense0/kernel" in tensors:
        for k, layer in enumerate(net.head):
            layer.weight.data = tensors[f"head/dense{k}/kernel"].t().contiguous()
            layer.bias.data = tensors[f"head/dense{k}/bias"].clone()
        if calibration is not None:
            net.head[-1].bias.data -= torch.tensor(calibration, dtype=torch.float32)
    elif len(net.head) == 1:  # a linear head starts as face-api's own classifier, cut to our classes
        net.head[0].weight.data = tensors["fc/weights"][:, FACEAPI_ROWS].t().contiguous()
        net.head[0].bias.data = tensors["fc/bias"][FACEAPI_ROWS].clone()


def teacher_net(path):
    """face-api's original expression net over our five classes: the distillation teacher (frozen)."""
    net = Net([], 0.0)
    load_init(net, path)
    net = net.to(memory_format=torch.channels_last).eval()
    for p in net.parameters():
        p.requires_grad_(False)
    return net


def mix(state0, state1, alpha):
    """Weight-space mix: (1 - alpha) * original + alpha * fine-tuned (tensors of the same names)."""
    return {k: v if not v.is_floating_point() else (1 - alpha) * state0[k] + alpha * v for k, v in state1.items()}


def export_weights(net, path, extra):
    """The trunk under face-api's names and the head as head/dense<i>, in tfjs layouts (float32)."""
    out = []
    for i, block in enumerate(net.blocks):
        for j in range(4):
            p = f"dense{i}/conv{j}"
            conv = getattr(block, f"conv{j}")
            if isinstance(conv, nn.Conv2d):
                out += [(f"{p}/filters", conv.weight.permute(2, 3, 1, 0)), (f"{p}/bias", conv.bias)]
            else:
                out += [
                    (f"{p}/depthwise_filter", conv.depthwise.weight.permute(2, 3, 0, 1)),
                    (f"{p}/pointwise_filter", conv.pointwise.weight.permute(2, 3, 1, 0)),
                    (f"{p}/bias", conv.pointwise.bias),
                ]
    for k, layer in enumerate(net.head):
        bias = layer.bias.detach().clone()
        if k == len(net.head) - 1:
            bias += torch.tensor(extra["calibration"], dtype=torch.float32)
        out += [(f"head/dense{k}/kernel", layer.weight.t()), (f"head/dense{k}/bias", bias)]
    meta, chunks, offset = [], [], 0
    for name, t in out:
        a = t.detach().contiguous().numpy().astype(np.float32)
        meta.append({"name": name, "shape": list(a.shape), "offset": offset})
        chunks.append(a.ravel())
        offset += a.size
    np.concatenate(chunks).tofile(path + ".bin")
    json.dump({"weights": meta, **extra}, open(path + ".json", "w"))


# ---------------------------------------------------------------- data
class Data:
    def __init__(self, folder, teachers=()):
        self.index = json.load(open(os.path.join(folder, "index.json")))
        self.sets = {}
        for name, s in self.index["sets"].items():
            a = np.fromfile(os.path.join(folder, s["file"]), dtype=np.uint8).reshape(s["shape"])
            self.sets[name] = (torch.from_numpy(a).permute(0, 3, 1, 2), torch.tensor(s["y"]), np.array(s["source"]))
        # FER+'s vote distributions over the five labels (tools/train/tensors.ts), for --fer-soft: [n, 5].
        votes = os.path.join(folder, "ferplus-train.votes.f32")
        self.fer_votes = torch.from_numpy(np.fromfile(votes, dtype=np.float32).reshape(-1, 5)) if os.path.exists(votes) else None
        # Peers' probabilities on the clean training faces (tools/train/teachers.ts), per set: [n, 5].
        self.teachers = {}
        for t in teachers:
            for name in ("wild-train", "ferplus-train"):
                p = np.fromfile(os.path.join(folder, f"{name}.{t}.f32"), dtype=np.float32).reshape(-1, len(self.index["labels"]))
                self.teachers.setdefault(name, []).append(torch.from_numpy(p))


def to_rgb(x):
    return x.expand(-1, 3, -1, -1) if x.shape[1] == 1 else x


def resize(x, size):
    """Whole-image resize as tfjs cropAndResize samples it (corner pixels aligned)."""
    return F.interpolate(to_rgb(x).float(), size=(size, size), mode="bilinear", align_corners=True)


def augment(x, size, g):
    """Webcam conditions on a uint8 [n, c, h, w] batch -> float [n, 3, size, size] in 0..255:
    crops shifted as a detector's boxes are (+-12 %) and framed from tight (0.8x) to loose (1.4x:
    press photos with hair and shoulders; the border mirrored), small rotations, mirror, low light,
    contrast, colour and grey (35 %: nhfi and FER+ are grey, many call frames are dim), blur, noise."""
    n = x.shape[0]
    x = to_rgb(x).float()
    r = lambda lo, hi: lo + (hi - lo) * torch.rand(n, generator=g)
    angle = r(-20, 20) * math.pi / 180
    scale = r(0.8, 1.4)
    flip = torch.where(torch.rand(n, generator=g) < 0.5, -1.0, 1.0)
    cos, sin = torch.cos(angle) * scale, torch.sin(angle) * scale
    theta = torch.stack([torch.stack([cos * flip, -sin, r(-0.12, 0.12)], 1), torch.stack([sin * flip, cos, r(-0.12, 0.12)], 1)], 1)
    grid = F.affine_grid(theta, [n, 3, size, size], align_corners=True)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="reflection", align_corners=True)
    grey = (x * torch.tensor([0.2989, 0.587, 0.114]).view(1, 3, 1, 1)).sum(1, keepdim=True)
    sat = torch.where(torch.rand(n, generator=g) < 0.35, torch.zeros(n), r(0.6, 1.4)).view(n, 1, 1, 1)
    x = grey + (x - grey) * sat
    mean = x.mean((1, 2, 3), keepdim=True)
    x = (x - mean) * r(0.7, 1.3).view(n, 1, 1, 1) + mean
    x = x * torch.where(torch.rand(n, generator=g) < 0.3, r(0.3, 0.7), r(0.8, 1.2)).view(n, 1, 1, 1)
    blur = torch.rand(n, generator=g) < 0.25
    if blur.any():
        k = torch.tensor([1.0, 2.0, 1.0])
        k = (k[:, None] * k[None, :] / 16).view(1, 1, 3, 3).repeat(3, 1, 1, 1)
        x[blur] = F.conv2d(F.pad(x[blur], (1, 1, 1, 1), mode="replicate"), k, groups=3)
    x = x + torch.randn(x.shape, generator=g) * r(0, 6).view(n, 1, 1, 1)
    return x.clamp(0, 255)


def normalize(x):
    # channels_last: mkldnn's convolutions (and their backward) run ~25 % faster on this layout here.
    return ((x - MEAN) / 255.0).contiguous(memory_format=torch.channels_last)


# ---------------------------------------------------------------- metrics
def macro_f1(truth, pred, classes):
    f1s = []
    for c in classes:
        tp = int(((pred == c) & (truth == c)).sum())
        fp = int(((pred == c) & (truth != c)).sum())
        fn = int(((pred != c) & (truth == c)).sum())
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f1s))


def recalls(truth, pred, classes):
    return [float(((pred == c) & (truth == c)).sum() / max(1, (truth == c).sum())) for c in classes]


def restricted_pred(logits, classes):
    sub = logits[:, classes]
    return np.array(classes)[sub.argmax(1)]


def scores(valid, bias=None):
    """Per source: macro-F1 and recalls with predictions restricted to its classes; 'combined' the
    mean F1 over SELECT."""
    out = {}
    for name, (logits, y) in valid.items():
        lg = logits + (0 if bias is None else bias)
        p = restricted_pred(lg, SOURCES[name])
        out[name] = {"f1": macro_f1(y, p, SOURCES[name]), "recall": recalls(y, p, SOURCES[name])}
    out["combined"] = float(np.mean([out[s]["f1"] for s in SELECT if s in out]))
    return out


@torch.no_grad()
def predict(net, x, size, batch=64, flip=False):
    """Logits; with flip, the mean of the face's and its mirror's (test-time flip averaging)."""
    net.eval()
    out = []
    for i in range(0, len(x), batch):
        xb = normalize(resize(x[i: i + batch], size))
        lg = net(xb)
        if flip:
            lg = (lg + net(xb.flip(3))) / 2
        out.append(lg.numpy())
    return np.concatenate(out)


def valid_logits(net, data, size, flip=False):
    fx, fy, _ = data.sets["ferplus-valid"]
    wx, wy, ws = data.sets["wild-valid"]
    wl = predict(net, wx, size, flip=flip)
    out = {"ferplus": (predict(net, fx, size, flip=flip), fy.numpy())}
    for s in SOURCES:
        if s != "ferplus":
            m = ws == s
            out[s] = (wl[m], wy.numpy()[m])
    return out


def calibrate(valid, min_recall):
    """Per-class logit biases by coordinate search: the best combined score whose every recall on
    FER+ valid and on the nhfi source (when given) stays at least min_recall (else the best such
    minimum). A held-out source is left out of `valid` by the caller: it must not tune the biases."""
    bias = np.zeros(5, dtype=np.float32)

    def objective(b):
        s = scores(valid, b)
        floor = min(min(s[k]["recall"]) for k in ("ferplus", "nhfi") if k in s)
        return (min(floor, min_recall), s["combined"])

    best = objective(bias)
    for _ in range(3):
        for c in range(5):
            for step in np.arange(-1.5, 1.51, 0.1):
                b = bias.copy()
                b[c] = round(float(step), 2)
                o = objective(b)
                if o > best:
                    best, bias = o, b
    return bias


# ---------------------------------------------------------------- training
def class_weights(y, mu, classes=5):
    """The paper's recipe over the classes present: total = sum(counts) / n; score = count / total;
    weight = 1 / (score * mu) if score < 1 else 1."""
    counts = np.bincount(y, minlength=classes).astype(np.float64)
    total = counts.sum() / max(1, (counts > 0).sum())
    w = [1.0 if c == 0 or c / total >= 1 else 1 / ((c / total) * mu) for c in counts]
    return torch.tensor(w, dtype=torch.float32)


def sample_weights(y, sources, mu):
    """The recipe's class weights computed within each source: class and source are confounded in
    the wild photos (every neutral is a webcam photo), so a class is balanced against the other
    classes of its own source, and telling the source apart earns nothing."""
    w = torch.ones(len(y))
    for s in np.unique(sources):
        m = torch.from_numpy(sources == s)
        w[m] = class_weights(y[m].numpy(), mu)[y[m]].clamp(max=MAX_WEIGHT)
    return w / w.mean()


class Trial:
    def __init__(self, n, cfg, data, args, teacher):
        self.n, self.cfg, self.data, self.args, self.teacher = n, cfg, data, args, teacher
        torch.manual_seed(args.seed * 1000 + n)
        self.g = torch.Generator().manual_seed(args.seed * 7919 + n)
        self.net = Net(cfg["hidden"], cfg["dropout"])
        load_init(self.net, args.init)
        self.net = self.net.to(memory_format=torch.channels_last)
        trunk = [p for b in self.net.blocks for p in b.parameters()]
        head = [p for l in self.net.head for p in l.parameters()]
        self.opt = torch.optim.Adam([{"params": trunk, "lr": cfg["lr"] * cfg["trunk_lr"]}, {"params": head, "lr": cfg["lr"]}])
        self.epoch, self.best, self.best_state, self.stall, self.history = 0, -1.0, None, 0, []

    def epoch_rows(self):
        """All wild train rows (less the held-out sources) and as many FER+ train rows (a fresh
        random subset each epoch)."""
        wx, wy, ws = self.data.sets["wild-train"]
        wt = self.data.teachers.get("wild-train", [])
        if self.args.hold_out:
            keep = ~np.isin(ws, self.args.hold_out.split(","))
            k = torch.from_numpy(keep)
            wx, wy, ws, wt = wx[k], wy[k], ws[keep], [t[k] for t in wt]
        fx, fy, _ = self.data.sets["ferplus-train"]
        pick = torch.randperm(len(fx), generator=self.g)[: int(len(wx) * self.args.fer_ratio)]
        ft = [t[pick] for t in self.data.teachers.get("ferplus-train", [])]
        fv = self.data.fer_votes[pick] if self.data.fer_votes is not None else None
        return wx, wy, ws, wt, fx[pick], fy[pick], ft, fv

    def train_epoch(self, fraction=1.0):
        cfg, net = self.cfg, self.net
        wx, wy, ws, wt, fx, fy, ft, fv = self.epoch_rows()
        if self.args.fer_soft > 0 and fv is None:
            raise SystemExit("--fer-soft needs ferplus-train.votes.f32 in the data folder (tools/train/tensors.ts writes it)")
        ww = sample_weights(wy, ws, cfg["mu"])
        fw = sample_weights(fy, np.full(len(fy), "ferplus"), cfg["mu"])
        bs = self.args.batch
        half = bs // 2
        wo = torch.randperm(len(wx), generator=self.g)
        fo = torch.randperm(len(fx), generator=self.g)
        steps = int(min(len(wx), len(fx)) // half * fraction)
        net.train()
        t0, total = time.time(), 0.0
        for s in range(steps):
            wi, fi = wo[s * half:(s + 1) * half], fo[s * half:(s + 1) * half]
            x = torch.cat([augment(wx[wi], self.args.size, self.g), augment(fx[fi], self.args.size, self.g)])
            y = torch.cat([wy[wi], fy[fi]])
            w = torch.cat([ww[wi], fw[fi]])
            xn = normalize(x)
            logits = net(xn)
            nw = len(wi)
            # Targets: the label, smoothed (0.05); FER+ rows towards the annotators' vote distribution
            # (--fer-soft); web-scraped wild rows partly towards the net's own belief (--bootstrap:
            # soft bootstrapping against label noise, Reed et al. 2015).
            target = F.one_hot(y, 5).float() * 0.95 + 0.05 / 5
            if self.args.fer_soft > 0:
                target[nw:] = (1 - self.args.fer_soft) * target[nw:] + self.args.fer_soft * fv[fi]
            if self.args.bootstrap > 0:
                target[:nw] = (1 - self.args.bootstrap) * target[:nw] + self.args.bootstrap * F.softmax(logits[:nw], 1).detach()
            ce = -(target * F.log_softmax(logits, 1)).sum(1)
            loss = (ce * w).sum() / w.sum()
            if self.args.flip_consistency > 0:  # a face and its mirror image should get the same label
                lp, lq = F.log_softmax(logits, 1), F.log_softmax(net(xn.flip(3)), 1)
                sym = 0.5 * (F.kl_div(lq, lp, log_target=True, reduction="batchmean") + F.kl_div(lp, lq, log_target=True, reduction="batchmean"))
                loss = loss + self.args.flip_consistency * sym
            if self.args.distill > 0:  # keep what the original net knew: match its softened outputs
                t = self.args.temperature
                with torch.no_grad():
                    # face-api's net on this augmented face; each peer on the clean face, softened alike
                    soft = [F.softmax(self.teacher(xn) / t, 1)]
                    for a, b in zip(wt, ft):
                        p = torch.cat([a[wi], b[fi]]).clamp(min=1e-6) ** (1 / t)
                        soft.append(p / p.sum(1, keepdim=True))
                    soft = torch.stack(soft).mean(0)
                kl = F.kl_div(F.log_softmax(logits / t, 1), soft, reduction="batchmean")
                loss = loss + self.args.distill * t * t * kl
            head_w = [l.weight for l in net.head]
            loss = loss + cfg["l1"] * sum(w.abs().sum() for w in head_w) + cfg["l2"] * sum((w ** 2).sum() for w in head_w)
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
            total += float(loss)
        self.epoch += fraction
        return total / max(1, steps), time.time() - t0

    def validate(self):
        s = scores(valid_logits(self.net, self.data, self.args.size))
        self.history.append({"epoch": self.epoch, **{k: (v if k == "combined" else v["f1"]) for k, v in s.items()}})
        if s["combined"] > self.best:
            self.best, self.stall = s["combined"], 0
            self.best_state = {k: v.clone() for k, v in self.net.state_dict().items()}
        else:
            self.stall += 1
            for group in self.opt.param_groups:  # the paper: halve the learning rate on a plateau
                group["lr"] *= 0.5
        return s


def sample_config(rnd):
    log_uniform = lambda lo, hi: math.exp(rnd.uniform(math.log(lo), math.log(hi)))
    return {
        "hidden": rnd.choice([[], [128], [256]]),
        "dropout": round(rnd.uniform(0.1, 0.5), 2),
        "l1": 0.0 if rnd.random() < 0.5 else log_uniform(1e-7, 1e-5),
        "l2": log_uniform(1e-6, 1e-4),
        "lr": log_uniform(5e-4, 3e-3),
        "trunk_lr": rnd.choice([0.1, 0.3, 1.0]),
        "mu": log_uniform(0.5, 2.0),
    }


def log(out, rec):
    print(json.dumps(rec), flush=True)
    with open(os.path.join(out, "trials.jsonl"), "a") as f:
        f.write(json.dumps(rec) + "\n")


class Stop(Exception):
    """SIGTERM: stop training and finish with the best weights so far (calibrate, export)."""


def on_term(*_):
    raise Stop()


def calibrated_scores(net, data, args):
    """Valid scores before and after the logit-bias calibration (fitted without held-out sources),
    and with test-time flip averaging (measured; the extension ships without it: it doubles the
    model's time)."""
    valid = valid_logits(net, data, args.size)
    held = set(filter(None, args.hold_out.split(",")))
    bias = calibrate({k: v for k, v in valid.items() if k not in held}, args.min_recall)
    flipped = scores(valid_logits(net, data, args.size, flip=True), bias)
    return scores(valid), scores(valid, bias), flipped, bias


def recalibrate(args):
    """--recalibrate: calibrate an exported run again (this version's rules) and export it anew."""
    base = os.path.join(args.out, "weights")
    result = json.load(open(base + ".json"))
    del result["weights"]
    net = Net(result["config"]["hidden"], 0.0)
    load_init(net, base, result["calibration"])
    net = net.to(memory_format=torch.channels_last)
    args.size, args.hold_out = result["size"], result.get("holdOut", args.hold_out)
    data = Data(args.data)
    before, after, flipped, bias = calibrated_scores(net, data, args)
    result.update({"valid": before, "validCalibrated": after, "flipCalibrated": flipped, "calibration": [round(float(b), 2) for b in bias]})
    result["reference"]["logits"] = (predict(net, data.sets["wild-valid"][0][: result["reference"]["count"]], args.size) + bias).tolist()
    export_weights(net, base, result)
    print(json.dumps({"recalibrated": args.out, "validCalibrated": after["combined"]}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--init", required=True, help="face-api trunk weights: <path>.json + <path>.bin")
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", type=int, default=96)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--fer-ratio", type=float, default=1.0, help="FER+ rows per wild row in an epoch")
    ap.add_argument("--trials", type=int, default=1, help="trial 0 is the prior; more are sampled")
    ap.add_argument("--rungs", default="", help="epochs at which the search keeps the best half")
    ap.add_argument("--epochs", type=float, default=1.5, help="epochs for the survivor")
    ap.add_argument("--hold-out", default="", help="wild sources left out of training (comma-separated)")
    ap.add_argument("--distill", type=float, default=1.0, help="weight of the distillation towards face-api's original net (0: off)")
    ap.add_argument("--temperature", type=float, default=4.0)
    ap.add_argument("--teachers", default="", help="peers distilled from their outputs on the clean faces besides face-api's net (e.g. human-emotion-f16)")
    ap.add_argument("--mix", default="0,0.3,0.5,0.6,0.7,0.85,1", help="fine-tuned weight shares to try (1: fine-tuned only)")
    ap.add_argument("--fer-soft", type=float, default=0.0, help="FER+ targets: this share the annotators' vote distribution, the rest the plurality label (0: labels only)")
    ap.add_argument("--bootstrap", type=float, default=0.0, help="wild targets: this share the net's own prediction (soft bootstrapping against label noise; 0: off)")
    ap.add_argument("--flip-consistency", type=float, default=0.0, help="weight of a symmetric KL between a face's and its mirror's predictions (0: off; doubles the step's time)")
    ap.add_argument("--patience", type=int, default=2)
    ap.add_argument("--min-recall", type=float, default=0.55)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--recalibrate", action="store_true", help="calibrate the run in --out again and re-export it (no training)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.recalibrate:
        return recalibrate(args)
    os.makedirs(args.out, exist_ok=True)
    open(os.path.join(args.out, "trials.jsonl"), "w").close()
    t0 = time.time()
    data = Data(args.data, [t for t in args.teachers.split(",") if t])
    rnd = random.Random(args.seed)
    # Trial 0 is the recipe's prior (no hidden layer, moderate dropout); the rest are sampled.
    prior = {"hidden": [], "dropout": 0.2, "l1": 0.0, "l2": 1e-5, "lr": 1e-3, "trunk_lr": 0.3, "mu": 1.0}
    teacher = teacher_net(args.init)
    trials = [Trial(n, prior if n == 0 else sample_config(rnd), data, args, teacher) for n in range(args.trials)]
    rungs = [float(r) for r in args.rungs.split(",") if r]
    done = 0.0
    signal.signal(signal.SIGTERM, on_term)
    stopped = False
    try:
        for rung in rungs:  # successive halving
            for t in trials:
                loss, secs = t.train_epoch(rung - done)
                s = t.validate()
                log(args.out, {"trial": t.n, "rung": rung, "cfg": t.cfg, "loss": loss, "seconds": secs, "scores": s})
            done = rung
            trials.sort(key=lambda t: -t.best)
            trials = trials[: max(1, len(trials) // 2)]
        best = trials[0]
        while best.epoch < args.epochs and best.stall < args.patience:
            step = min(1.0, args.epochs - best.epoch)
            loss, secs = best.train_epoch(step)
            s = best.validate()
            log(args.out, {"trial": best.n, "epoch": best.epoch, "loss": loss, "seconds": secs, "scores": s})
    except Stop:
        stopped = True
        log(args.out, {"stopped": "SIGTERM: finishing with the best validated weights so far"})
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    best = max((t for t in trials if t.best_state is not None), key=lambda t: t.best)
    # Weight-space mix with the original net (a linear head starts as face-api's own, so every weight
    # has an original): the share of fine-tuned weights with the best validation score.
    original = {k: v.clone() for k, v in teacher.state_dict().items()} if not best.cfg["hidden"] else None
    mixes = []
    for alpha in [float(a) for a in args.mix.split(",")] if original else [1.0]:
        best.net.load_state_dict(mix(original, best.best_state, alpha) if original else best.best_state)
        s = scores(valid_logits(best.net, data, args.size))
        mixes.append({"alpha": alpha, **{k: (v if k == "combined" else v["f1"]) for k, v in s.items()}})
        log(args.out, {"mix": mixes[-1]})
    alpha = max(mixes, key=lambda m: m["combined"])["alpha"]
    best.net.load_state_dict(mix(original, best.best_state, alpha) if original else best.best_state)
    before, after, flipped, bias = calibrated_scores(best.net, data, args)
    result = {
        "trial": best.n, "config": best.cfg, "epochs": best.epoch, "history": best.history, "size": args.size,
        "holdOut": args.hold_out, "distill": args.distill, "temperature": args.temperature, "teachers": args.teachers, "ferSoft": args.fer_soft, "bootstrap": args.bootstrap, "flipConsistency": args.flip_consistency, "mix": alpha, "mixes": mixes,
        "flipCalibrated": flipped,
        "valid": before, "calibration": [round(float(b), 2) for b in bias], "validCalibrated": after,
        "minutes": (time.time() - t0) / 60, "stopped": stopped, "seed": args.seed, "batch": args.batch, "ferRatio": args.fer_ratio,
        # Reference logits for the first valid faces: the tfjs export must reproduce them.
        "reference": {"size": args.size, "count": 8, "logits": (predict(best.net, data.sets["wild-valid"][0][:8], args.size) + bias).tolist()},
    }
    export_weights(best.net, os.path.join(args.out, "weights"), result)
    print(json.dumps({"done": True, "valid": before["combined"], "validCalibrated": after["combined"], "minutes": result["minutes"]}), flush=True)


if __name__ == "__main__":
    main()
