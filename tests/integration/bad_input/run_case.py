#!/usr/bin/env python3
"""Runs one case of tests/data/bad/cases.txt (see the format there).

    run_case.py CASES_FILE CASE_NAME BIN_DIR

Exit 0 when the command's exit status and output are as the case expects; otherwise prints the
command, what was expected and what came out, and exits 1.
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile


def load(path, name):
    case, current = None, None
    with open(path, encoding='utf-8') as f:
        for raw in f:
            line = raw.rstrip('\n')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            key, _, rest = line.partition(' ')
            if key == 'case':
                current = {'name': rest.strip(), 'run': None, 'exit': 0, 'checks': []}
                if current['name'] == name:
                    case = current
                continue
            if current is None:
                raise SystemExit(f'{path}: "{line}" before any case')
            if key == 'run':
                current['run'] = rest
            elif key == 'exit':
                current['exit'] = int(rest)
            elif key in ('expect', 'reject', 'file'):
                current['checks'].append((key, rest))
            else:
                raise SystemExit(f'{path}: unknown directive "{key}"')
    if case is None:
        raise SystemExit(f'{path}: no case named {name}')
    return case


def main():
    cases_file, name, bin_dir = sys.argv[1:4]
    case = load(cases_file, name)
    with tempfile.TemporaryDirectory(prefix='bad-input-') as tmp:
        args = [a.replace('{tmp}', tmp) for a in shlex.split(case['run'])]
        if args[0] in ('geogrid', 'tileserver'):
            args[0] = os.path.join(bin_dir, args[0])
        try:
            done = subprocess.run(args, cwd=os.path.dirname(os.path.abspath(cases_file)), capture_output=True,
                                  text=True, timeout=120, stdin=subprocess.DEVNULL)
            output, status = done.stdout + done.stderr, done.returncode
        except subprocess.TimeoutExpired as e:
            output, status = (e.stdout or b'').decode(errors='replace') + (e.stderr or b'').decode(errors='replace'), 'timeout'
        failures = []
        if status != case['exit']:
            failures.append(f'exit status {status}, expected {case["exit"]}')
        text, source = output, 'output'
        for key, value in case['checks']:
            if key == 'file':
                path = value.replace('{tmp}', tmp)
                source = path
                text = open(path, encoding='utf-8').read() if os.path.exists(path) else ''
                if not text:
                    failures.append(f'{path} is missing or empty')
            elif key == 'expect' and not re.search(value, text):
                failures.append(f'{source} lacks /{value}/')
            elif key == 'reject' and re.search(value, text):
                failures.append(f'{source} has /{value}/')
        if failures:
            print('case', name, 'FAILED\n  run:', ' '.join(args))
            for f in failures:
                print('  -', f)
            print('--- output ---\n' + output)
            return 1
    print('case', name, 'ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
