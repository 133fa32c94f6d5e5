#!/usr/bin/env python3
"""Cut WP proof scripts down to the steps that proved their goal.

A script written by a tactic search (PROVE_SCRIPTS=update) keeps every
attempt: the prover runs that failed or timed out before a split was
tried, and the splits that led nowhere.  Replay repeats all of them, so a
goal pays its failed attempts again on every run.  For each goal this
keeps the first prover that proved it or else the first tactic whose
subgoals are all proved; a goal nothing proved keeps its last tactic, so
its script still replays the search's best attempt.

Usage: proofs/prune-scripts.py SCRIPT.json...   (rewrites each in place)
"""
import json
import re
import sys


def proved(alts):
    """Whether a list of alternatives proves its goal."""
    for a in alts:
        if 'prover' in a and a.get('verdict') == 'valid':
            return True
        if 'tactic' in a and all(proved(c) for c in a.get('children', {}).values()):
            return True
    return False


def prune(alts):
    for a in alts:
        if 'prover' in a and a.get('verdict') == 'valid':
            return [a]
    for a in alts:
        if 'tactic' in a and all(proved(c) for c in a.get('children', {}).values()):
            return [dict(a, children={k: prune(c) for k, c in a['children'].items()})]
    tactics = [a for a in alts if 'tactic' in a]
    if not tactics:
        return alts
    last = tactics[-1]
    return [dict(last, children={k: prune(c) for k, c in last.get('children', {}).items()})]


# WP writes times such as "10." that strict JSON readers refuse.
BARE_POINT = re.compile(r'(?<=[0-9])\.(?=[\s,}\]])')

for path in sys.argv[1:]:
    with open(path) as f:
        script = json.loads(BARE_POINT.sub('.0', f.read()))
    with open(path, 'w') as f:
        json.dump(prune(script), f, indent=1)
        f.write('\n')
