#!/usr/bin/env python3
"""What the JIT compiled, per minute after the burst, in a bench/e2e.sh run with OUT=<dir> and -XX:+PrintCompilation
in FLAGS: compilations by tier, "made not entrant", and for minutes 3-6 how many recompiled a method at a tier it
had been compiled at before, and the packages compiled most.

Usage: bench/compilations.py <dir>...   (each <dir> with <dir>.txt beside it: e2e.sh's output, timestamped per line
as `... | while read -r l; do echo "$(date +%s.%N) $l"; done > <dir>.txt`)
"""
import collections
import re
import sys

LINE = re.compile(r'\s*(\d+)\s+(\d+)\s+([%sbn!* ]{5,6})\s*(\d)?\s+(\S+)')

for run in sys.argv[1:]:
    launch = burst = None
    for line in open(run + '.txt', errors='replace'):
        epoch = line.split()[0]
        if ' start ' in line and 'searchable' in line:   # launch = when the start line came, less its searchable ms
            launch = float(epoch) - int(re.search(r'searchable (\d+) ms', line).group(1)) / 1000
        if ' burst ' in line:
            burst = float(epoch)
    per_minute = collections.defaultdict(collections.Counter)
    seen, late, again, packages = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
    for line in open(run + '/caravan.log', errors='replace'):
        m = LINE.match(line)
        if not m:
            continue
        minute = (launch + int(m.group(1)) / 1000 - burst) / 60
        method, tier = m.group(5), m.group(4)
        if minute >= 0:
            kind = 'not entrant' if 'made not entrant' in line else 'zombie' if 'made zombie' in line else 'tier ' + str(tier)
            per_minute[int(minute) + 1][kind] += 1
        if 'made ' in line:
            continue
        if 2 <= minute < 6:
            late[tier] += 1
            again[tier] += seen[(method, tier)] > 0
            packages[method.split('::')[0].rsplit('.', 1)[0]] += 1
        seen[(method, tier)] += 1
    print(run)
    for minute in sorted(per_minute):
        print(f'  minute {minute}: ' + ', '.join(f'{k} {v}' for k, v in sorted(per_minute[minute].items())))
    print('  minutes 3-6, compilations by tier: ' + ', '.join(f'tier {t} {n} ({again[t]} again)' for t, n in sorted(late.items())))
    print('  packages: ' + ', '.join(f'{p} {n}' for p, n in packages.most_common(12)))
