#!/usr/bin/env python3
"""The Python baseline of the lint benchmark: validate every plan in DIR.

    bench/validate_plans.py [--schema PATH] DIR...

The fair, fast way to do it in Python: one process, one
`jsonschema.Draft202012Validator` built once, PyYAML's C loader (LibYAML),
and a loop over the files (`*.yaml`, `*.yml`, recursively, sorted). Every
error of every file is collected, as `crplan lint` reports every problem.

Prints `N files, M invalid` on stderr and the first errors; exits 0 when
every file is valid, 1 otherwise, 2 on usage errors or when PyYAML lacks
its C loader (the benchmark compares against LibYAML, not pure Python).
"""

import json
import os
import sys

import jsonschema
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def plan_files(folder):
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")):
                yield os.path.join(root, name)


def main(argv):
    schema_path = os.path.join(REPO, "Schemas", "crplan-plan.v1.schema.json")
    folders = []
    for arg in argv:
        if arg.startswith("--schema="):
            schema_path = arg.split("=", 1)[1]
        elif arg.startswith("-"):
            print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
            return 2
        else:
            folders.append(arg)
    if not folders:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        print("validate_plans: PyYAML was built without LibYAML (no yaml.CSafeLoader)", file=sys.stderr)
        return 2

    with open(schema_path, encoding="utf-8") as handle:
        validator = jsonschema.Draft202012Validator(json.load(handle))

    count = 0
    problems = []
    for folder in folders:
        for path in plan_files(folder):
            count += 1
            try:
                with open(path, "rb") as handle:
                    document = yaml.load(handle.read(), Loader=loader)
            except yaml.YAMLError as error:
                problems.append((path, [str(error)]))
                continue
            errors = list(validator.iter_errors(document))
            if errors:
                problems.append((path, [error.message for error in errors]))

    print(f"{count} files, {len(problems)} invalid", file=sys.stderr)
    for path, messages in problems[:10]:
        print(f"{path}: {'; '.join(messages)}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
