#!/usr/bin/env python3
"""Checks a labelled file: python3 check.py FILE. Prints every bad line and a label count."""
import sys, collections
TOPICS = "performance fit reliability references guarantee delivery price service".split()
PLAIN = "ask_hesitation ask_situation acknowledge close dismiss pitch other".split()
TOPICAL = "ask_about show_weak_spot evidence measure".split()
CTX_PLAIN = "- opening nothing_else stall clear answer".split()
CTX_TOPICAL = "reveal tell resolved unresolved no_concern".split()
bad = 0; count = collections.Counter(); n = 0; ctx = 0; multi = 0
for i, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    line = line.rstrip("\n")
    if not line.strip() or line.startswith("#"):
        continue
    parts = line.split("\t")
    def err(msg):
        global bad; bad += 1; print(f"{sys.argv[1]}:{i}: {msg}: {line!r}")
    if len(parts) != 3:
        err(f"{len(parts)} columns, want 3"); continue
    c, msg, labels = parts
    n += 1
    c0, _, ct = c.partition(":")
    if not ((c in CTX_PLAIN) or (c0 in CTX_TOPICAL and ct in TOPICS)):
        err(f"bad context {c!r}")
    if c != "-": ctx += 1
    if not msg.strip(): err("empty message")
    ls = labels.split(" ")
    if len(set(ls)) != len(ls): err("repeated label")
    if len(ls) > 1: multi += 1
    for l in ls:
        a, _, t = l.partition(":")
        if a in PLAIN and not t: count[a] += 1
        elif a in TOPICAL and t in TOPICS: count[a] += 1
        else: err(f"bad label {l!r}")
    if "other" in ls and len(ls) > 1: err("other with other labels")
print(f"{n} messages, {ctx} with context, {multi} with several labels, {bad} bad lines")
for k, v in count.most_common(): print(f"  {k:16} {v}")
sys.exit(1 if bad else 0)
