"""Example files for `perval kano` and `perval expectations` (the built-in kano-restaurant-zh and
perval-expectations instruments). Synthetic: answers drawn from class probabilities (Kano) and from a model of
demandingness and store quality (zone of tolerance). Python's own random module, seeded; byte-identical on
re-runs: python3 data/make_needs_examples.py
"""
import random

rng = random.Random(20011)
STORES = ["东门店", "西湖店", "南站店"]
ANSWERS = ["我很喜欢", "理应如此", "无所谓", "能忍受", "我很不喜欢"]
# (functional answer, dysfunctional answer) codes that produce each class under Berger's table.
PAIRS = {
    "A": [(1, 2), (1, 3), (1, 4)],
    "O": [(1, 5)],
    "M": [(2, 5), (3, 5), (4, 5)],
    "I": [(2, 3), (3, 3), (3, 4), (4, 3), (2, 4)],
    "R": [(5, 1), (3, 1), (4, 1)],
    "Q": [(1, 1), (5, 5)],
}
# Class probabilities (A, O, M, I, R, Q) per attribute; some differ by store (east, west lake, south station).
ATTRS = {
    "CLEAN": [(.05, .25, .55, .10, .03, .02)] * 3,
    "TASTE": [(.15, .45, .25, .10, .03, .02)] * 3,
    "SPEED": [(.10, .30, .30, .25, .03, .02), (.10, .25, .25, .35, .03, .02), (.08, .35, .40, .12, .03, .02)],
    "KITCHEN": [(.40, .15, .10, .30, .03, .02)] * 3,
    "WIFI": [(.40, .15, .05, .35, .03, .02), (.20, .15, .05, .55, .03, .02), (.20, .30, .25, .20, .03, .02)],
    "MUSIC": [(.25, .05, .03, .45, .20, .02)] * 3,
    "BIRTHDAY": [(.55, .10, .03, .27, .03, .02)] * 3,
    "KIDS": [(.25, .05, .03, .40, .25, .02), (.35, .10, .05, .40, .08, .02), (.15, .05, .03, .45, .30, .02)],
    "PHOTO": [(.30, .10, .03, .50, .05, .02)] * 3,
    "MEMBER": [(.30, .15, .05, .42, .05, .03)] * 3,
    "POINTS": [(.35, .25, .08, .27, .03, .02)] * 3,
    "PRICES": [(.05, .20, .60, .10, .03, .02)] * 3,
}
IMPORTANCE = {"CLEAN": 8, "TASTE": 8, "SPEED": 7, "KITCHEN": 6, "WIFI": 5, "MUSIC": 3, "BIRTHDAY": 5, "KIDS": 4,
              "PHOTO": 4, "MEMBER": 4, "POINTS": 5, "PRICES": 7}


def kano():
    header = ["序号", "门店"] + [f"{a}_{s}" for a in ATTRS for s in ("F", "D", "IMP")]
    rows = [",".join(header)]
    for i in range(600):
        g = i % 3
        cells = [str(i + 1), STORES[g]]
        for a, probs in ATTRS.items():
            cls = rng.choices("AOMIRQ", weights=probs[g])[0]
            f, d = rng.choice(PAIRS[cls])
            imp = min(9, max(1, round(rng.gauss(IMPORTANCE[a], 1.5))))
            # About 1% of the answers left blank; codes and texts mixed as a web export can.
            fa = "" if rng.random() < 0.01 else (str(f) if rng.random() < 0.05 else ANSWERS[f - 1])
            da = "" if rng.random() < 0.01 else ANSWERS[d - 1]
            cells += [fa, da, str(imp)]
        rows.append(",".join(cells))
    open("data/kano-restaurant-zh.csv", "w", encoding="utf-8").write("\n".join(rows) + "\n")


ITEMS = {"functional": ["QUAL1", "QUAL2", "QUAL3", "QUAL6"], "emotional": ["EMO1", "EMO2", "EMO3", "EMO4", "EMO5"],
         "price": ["PRICE1", "PRICE2", "PRICE3", "PRICE4"], "social": ["SOC1", "SOC2", "SOC3", "SOC4"]}
# Store quality by dimension (perceived relative to a typical adequate level).
QUALITY = {"Harbour": {"functional": 0.8, "emotional": 0.3, "price": -0.6, "social": 0.0},
           "Old Town": {"functional": 0.2, "emotional": 0.9, "price": 0.3, "social": 0.2},
           "Riverside": {"functional": 1.2, "emotional": 0.0, "price": -0.9, "social": -0.2}}


def expectations():
    items = [i for d in ITEMS.values() for i in d]
    header = ["respondent_id", "store"] + [c for i in items for c in (f"{i}_MIN", f"{i}_DES", i)]
    rows = [",".join(header)]
    clamp = lambda x: str(min(9, max(1, round(x))))
    for i in range(450):
        store = list(QUALITY)[i % 3]
        demanding = rng.gauss(0, 0.8)
        cells = [str(i + 1), store]
        for d, its in ITEMS.items():
            view = rng.gauss(QUALITY[store][d], 0.7)
            for _ in its:
                adequate = 4.8 + demanding + rng.gauss(0, 0.8)
                desired = 6.8 + demanding + rng.gauss(0, 0.8)
                perceived = 5.0 + view + rng.gauss(0, 0.9)
                cells += [clamp(adequate), clamp(desired), clamp(perceived)]
        rows.append(",".join(cells))
    open("data/perval-expectations.csv", "w", encoding="utf-8").write("\n".join(rows) + "\n")


kano()
expectations()
