#!/usr/bin/env python3
"""Where a server's CPU went, from a `bin/bench ... --jfr` recording (docs/BENCHMARKS.md).

    jfr print --stack-depth 64 --json --events jdk.CPUTimeSample rec.jfr > rec.json
    bench/jfr-shares.py rec.json [FROM TO]

FROM and TO are seconds from the first sample; a negative value counts back from the last one (the
measured window of irc-relay and federation is `-21 -1`). Prints the share of the samples by thread and by
activity: each sample goes to the first rule below that one of its frames matches, reading from the top of
the stack, else to the chatd package it was in, else to its top frame. Samples taken in native code
(libsodium, SQLite, socket calls) often come without their thread: "?" in the first list.
"""
import collections
import json
import re
import sys
from datetime import datetime

RULES = [
    ("Ed25519 sign/verify", r"bouncycastle|Ed25519|Sodium"),
    ("SQLite", r"org\.sqlite"),
    ("PostgreSQL driver", r"org\.postgresql"),
    ("socket write", r"IOUtil\.write|SocketDispatcher\.write|FileDispatcherImpl\.write"),
    ("socket read", r"IOUtil\.read|SocketDispatcher\.read|FileDispatcherImpl\.read"),
    ("epoll", r"EPoll"),
    ("JSON (Jackson)", r"jackson"),
    ("HTTP parse/generate (Jetty)", r"jetty\.http\."),
    ("hashing", r"MessageDigest|SHA"),
]


def seconds(event):
    return datetime.fromisoformat(event["values"]["startTime"].replace("Z", "+00:00")).timestamp()


def frames(event):
    return [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]
            for f in event["values"]["stackTrace"]["frames"]]


def activity(stack):
    for frame in stack[:40]:
        for name, pattern in RULES:
            if re.search(pattern, frame):
                return name
    for frame in stack:
        if frame.startswith("chatd."):
            return "chatd " + ".".join(frame.split(".")[1:3])
    return "other: " + (stack[0] if stack else "?")


def thread(event):
    t = event["values"].get("sampledThread") or event["values"].get("eventThread") or {}
    return re.sub(r"\d+", "N", t.get("javaName") or t.get("osName") or "?")


def main():
    events = [e for e in json.load(open(sys.argv[1]))["recording"]["events"] if e["values"].get("stackTrace")]
    if len(sys.argv) > 3:
        first, last = min(map(seconds, events)), max(map(seconds, events))
        lo, hi = (float(a) if float(a) >= 0 else last - first + float(a) for a in sys.argv[2:4])
        events = [e for e in events if lo <= seconds(e) - first <= hi]
    print("samples", len(events))
    for title, key in (("by thread", thread), ("by activity", lambda e: activity(frames(e)))):
        print("--", title)
        for name, n in collections.Counter(map(key, events)).most_common(18):
            print(f"{100 * n / len(events):5.1f}% {name}")


if __name__ == "__main__":
    main()
