#!/usr/bin/env python3
"""Validate plan files against crplan's JSON Schema with the Python reference stack.

    scripts/schema-check.py [--schema PATH] [--yaml {1.2,1.1}] FILE...
    scripts/schema-check.py --versions

Each FILE is loaded with PyYAML (its C loader, LibYAML, when available) and
validated with `jsonschema.Draft202012Validator`; one JSON object per line is
printed on stdout, in argument order:

    {"file": F, "loaded": true,  "valid": false, "errors": [{"path": "/criu/logLevel", "keyword": "maximum", "message": "..."}]}
    {"file": F, "loaded": false, "valid": null,  "load_error": "..."}

`loaded: false` means PyYAML could not produce one document (syntax error,
several documents, unreadable file): the schema has no verdict then.

Scalars are typed by the YAML 1.2 core schema by default, as crplan and
yaml-language-server type them. `--yaml 1.1` uses PyYAML's own YAML 1.1
resolver instead (`yes`/`on`/`off` booleans, `1:30` sexagesimal integers,
`2024-01-01` dates, `017` octal), which is what a plain `yaml.safe_load` sees.

Exit status: 0 when every file was checked (whatever the verdicts), 2 on usage
errors or an unusable schema. The schema-agreement test
(Tests/CRPlanCoreTests/Schema/SchemaAgreementTests.swift) runs this once for
all files and compares the verdicts with crplan's.
"""

import argparse
import json
import math
import os
import re
import sys

try:
    import jsonschema
    import yaml
except ImportError as error:  # pragma: no cover - reported to the caller
    print(f"schema-check: {error}; install scripts/requirements-test.txt "
          "(python3 -m pip install -r scripts/requirements-test.txt)", file=sys.stderr)
    sys.exit(3)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SCHEMA = os.path.join(REPO, "Schemas", "crplan-plan.v1.schema.json")

BaseLoader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


class Core12Loader(BaseLoader):
    """PyYAML's safe loader with the YAML 1.2 core schema's implicit types."""


Core12Loader.yaml_implicit_resolvers = {}
Core12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)\Z"), ["~", "n", "N", ""])
Core12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)\Z"), list("tTfF"))
Core12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z"), list("-+0123456789"))
Core12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"),
    list("-+.0123456789"))


def _construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)  # YAML 1.2: a leading 0 is not octal


def _construct_float(loader, node):
    text = loader.construct_scalar(node)
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    return float(text)


def _construct_bool(loader, node):
    return loader.construct_scalar(node).lower() == "true"


Core12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
Core12Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
Core12Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)

LOADERS = {"1.2": Core12Loader, "1.1": BaseLoader}


def json_pointer(parts):
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def check(path, loader, validator):
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
        document = yaml.load(text, Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        return {"file": path, "loaded": False, "valid": None,
                "load_error": " ".join(str(error).split())}
    errors = [
        {"path": json_pointer(error.absolute_path), "keyword": str(error.validator),
         "message": error.message}
        for error in validator.iter_errors(document)
    ]
    errors.sort(key=lambda error: (error["path"], error["keyword"], error["message"]))
    return {"file": path, "loaded": True, "valid": not errors, "errors": errors}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schema", default=DEFAULT_SCHEMA, help="the JSON Schema (default: %(default)s)")
    parser.add_argument("--yaml", choices=sorted(LOADERS), default="1.2",
                        help="how plain scalars are typed (default: %(default)s)")
    parser.add_argument("--versions", action="store_true", help="print the validator stack and exit")
    parser.add_argument("files", nargs="*", metavar="FILE")
    options = parser.parse_args(argv)

    if options.versions:
        from importlib.metadata import version
        print(json.dumps({
            "python": sys.version.split()[0],
            "jsonschema": version("jsonschema"),
            "PyYAML": yaml.__version__,
            "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
            "loader": BaseLoader.__name__,
        }))
        return 0
    if not options.files:
        parser.error("no files given")

    try:
        with open(options.schema, encoding="utf-8") as handle:
            schema = json.load(handle)
        jsonschema.Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as error:
        print(f"schema-check: unusable schema {options.schema}: {error}", file=sys.stderr)
        return 2
    validator = jsonschema.Draft202012Validator(schema)
    loader = LOADERS[options.yaml]

    out = sys.stdout
    for path in options.files:
        out.write(json.dumps(check(path, loader, validator), default=str) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
