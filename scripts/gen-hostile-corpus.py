#!/usr/bin/env python3
"""Writes crplan's hostile plan corpus into a folder.

    scripts/gen-hostile-corpus.py OUT_DIR

Generated, not committed: some files are up to 1 MiB. The hand-written
ones live in Tests/CRPlanCoreTests/Fixtures/hostile/ and are copied in too.
Deterministic: the same files every run.

File names say what each must give (lint and plan, no crash, no hang,
bounded memory, every error with a line and column):
  err-*   at least one error (exit 1, or 2 for what cannot be read as a file);
  warn-*  no error, at least one warning (exit 0; 1 with --strict);
  ok-*    neither (exit 0): values that look hostile but are safe as argv
          (a description, a path with a space or `*`, harmless CRIU options);
  any-*   truncations and random mutations of the examples, whose verdict
          is not chosen by construction.
The exact rule ids each file must give, errors and warnings, are pinned in
Tests/CRPlanCoreTests/Fixtures/hostile/expected.tsv (name, error rules,
warning rules; comma-separated, sorted): HostileCorpusTests checks them.
Used by HostileCorpusTests (in-process) and bench/hostile.sh (release binary).
"""
import os
import random
import shutil
import sys

HEADER = "version: 1\nname: hostile\ncontainer: counter\n"
MIB = 1 << 20


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files: dict[str, bytes] = {}

    def add(name: str, content) -> None:
        assert name not in files, name
        files[name] = content.encode("utf-8") if isinstance(content, str) else content

    nesting(add)
    aliases(add)
    huge_scalars(add)
    many_keys_and_items(add)
    encodings(add)
    tags(add)
    numbers(add)
    durations(add)
    templates(add)
    dangerous_paths(add)
    argv_injection(add)
    criu_options(add)
    truncations(add, os.path.join(root, "plans/examples/wiki-aufs.yaml"))
    random_mutations(add, os.path.join(root, "plans/examples/overlay2-roundtrip.yaml"))

    for name, content in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(content)
    hand = os.path.join(root, "Tests/CRPlanCoreTests/Fixtures/hostile")
    copied = 0
    for name in sorted(os.listdir(hand)):
        if name.endswith(".yaml"):
            shutil.copyfile(os.path.join(hand, name), os.path.join(out, "hand-" + name))
            copied += 1
    print(f"{len(files)} generated + {copied} hand-written files in {out}")
    return 0


def nesting(add):
    for depth in (33, 100, 999, 1001, 3000, 100_000):
        add(f"err-nest-flow-seq-{depth}.yaml", HEADER + "description: " + "[" * depth + "]" * depth + "\n")
    for depth in (33, 1000, 50_000):
        add(f"err-nest-flow-map-{depth}.yaml", HEADER + "criu: " + "{a: " * depth + "1" + "}" * depth + "\n")
    for depth in (40, 300):
        text = HEADER + "criu:\n"
        for level in range(1, depth + 1):
            text += "  " * level + f"k{level}:\n"
        add(f"err-nest-block-{depth}.yaml", text)
    add("err-nest-block-seq-200.yaml", HEADER + "extMounts:\n" + "".join("  " * i + "-\n" for i in range(1, 200)))
    add("err-nest-unclosed-10000.yaml", HEADER + "description: " + "[" * 10_000 + "\n")


def aliases(add):
    for levels, width in ((4, 10), (6, 10), (9, 10), (20, 2), (30, 2)):
        text = HEADER + "a0: &a0 [" + ", ".join(["lol"] * width) + "]\n"
        for level in range(1, levels + 1):
            text += f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]\n"
        add(f"err-alias-bomb-{levels}x{width}.yaml", text)
    for size, count in ((1024, 100), (16_000, 100), (16_000, 1000), (1000, 10_000)):
        value = "v" * size
        add(f"err-alias-long-value-{size}x{count}.yaml",
            HEADER + f"description: &d {value}\nextMounts:\n" + "  - *d\n" * count)
    add("err-alias-undefined.yaml", HEADER + "description: *nope\n")
    add("err-alias-self.yaml", HEADER + "criu: &c {extraArgs: *c}\n")
    add("err-alias-as-key.yaml", HEADER + "x: &k name\n*k : other\n")
    add("err-alias-mapping-reuse.yaml",
        HEADER + "extMounts:\n  - &m {path: /etc/hosts, restore: /x}\n" + "  - *m\n" * 50)
    add("err-anchor-long-name.yaml", HEADER + f"description: &{'a' * 5000} x\nother: *{'a' * 5000}\n")


def huge_scalars(add):
    # Longer than PATH_MAX but within the scalar limit: refusing it is a path rule's job.
    add("ok-scalar-imagedir-4097.yaml", HEADER + "imageDir: /" + "a" * 4097 + "\n")
    for size in (16_385, 100_000, MIB - 200):
        add(f"err-scalar-imagedir-{size}.yaml", HEADER + "imageDir: /" + "a" * size + "\n")
    add("err-scalar-description-20k.yaml", HEADER + "description: " + "d" * 20_000 + "\n")
    add("err-scalar-key-1500.yaml", HEADER + "k" * 1500 + ": 1\n")
    add("err-scalar-key-20k.yaml", HEADER + "k" * 20_000 + ": 1\n")
    add("err-scalar-quoted-key-20k.yaml", HEADER + '"' + "k" * 20_000 + '": 1\n')
    add("err-scalar-block-50k.yaml", HEADER + "description: |\n" + ("  " + "b" * 99 + "\n") * 500)
    add("err-scalar-long-line-comment.yaml", HEADER + "# " + "c" * 500_000 + "\nimageDir: rel\n")
    add("err-file-over-1mib.yaml", HEADER + "# padding\n" * (MIB // 10 + 1) + "imageDir: rel\n")
    add("err-file-empty.yaml", "")
    add("err-file-only-comments.yaml", "# nothing\n" * 1000)


def many_keys_and_items(add):
    for count in (999, 1001, 5000, 20_000, 100_000):
        add(f"err-keys-top-{count}.yaml", HEADER + "".join(f"key{i}: {i}\n" for i in range(count)))
    # Long unknown keys: "did you mean" must not cost length × candidates each.
    add("err-keys-long-unknown-990.yaml", HEADER + "".join(f"{i:04d}" + "k" * 1000 + ": 1\n" for i in range(990)))
    add("err-keys-nested-5000.yaml", HEADER + "criu:\n" + "".join(f"  k{i}: 1\n" for i in range(5000)))
    add("err-keys-duplicate-5000.yaml", HEADER + "description: x\n" * 5000)
    for count in (1001, 100_000):
        add(f"err-items-extraargs-t-{count}.yaml", HEADER + "criu:\n  extraArgs: [" + ", ".join(["-t"] * count) + "]\n")
    add("err-items-extmounts-dup-1000.yaml", HEADER + "extMounts:\n" + "  - {path: /etc/hosts, restore: /x}\n" * 1000)
    add("err-items-extmounts-dup-100000.yaml", HEADER + "extMounts:\n" + "- {path: /a, restore: /b}\n" * 40_000)
    add("err-items-unknown-vars-100000.yaml",
        HEADER + "extMounts:\n" + "".join(f"- {{path: /m{i}, restore: '${{nope{i}}}'}}\n" for i in range(30_000)))
    add("err-items-empty-flow-10000.yaml", HEADER + "description: [" + ",".join(["[]"] * 10_000) + "]\n")


def encodings(add):
    text = HEADER + "imageDir: /tmp/img\n"
    add("err-utf16le-bom.yaml", b"\xff\xfe" + text.encode("utf-16-le"))
    add("err-utf16be-bom.yaml", b"\xfe\xff" + text.encode("utf-16-be"))
    add("err-utf16le-nobom.yaml", text.encode("utf-16-le"))
    add("err-utf32le-bom.yaml", b"\xff\xfe\x00\x00" + text.encode("utf-32-le"))
    for index, bad in enumerate([b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\x80"]):
        add(f"err-invalid-utf8-{index}.yaml", HEADER.encode() + b"description: a" + bad + b"b\n")
        add(f"err-invalid-utf8-key-{index}.yaml", HEADER.encode() + b"k" + bad + b": 1\n")
    add("err-nul-in-plain.yaml", HEADER.encode() + b"imageDir: /tmp/\x00img\n")
    add("err-nul-at-start.yaml", b"\x00" + text.encode())
    add("err-nul-many.yaml", b"\x00" * 10_000)
    add("err-control-chars.yaml", HEADER.encode() + b"description: a\x01\x02\x1bb\n")
    add("err-nul-escaped-in-name.yaml", HEADER.replace("hostile", '"host\\0ile"'))
    add("err-random-binary.yaml", bytes(random.Random(7).randrange(256) for _ in range(50_000)))
    add("ok-cr-line-endings.yaml", text.replace("\n", "\r"))
    add("ok-crlf-line-endings.yaml", text.replace("\n", "\r\n"))
    add("ok-bom-once.yaml", b"\xef\xbb\xbf" + text.encode())
    add("err-bom-twice.yaml", b"\xef\xbb\xbf\xef\xbb\xbf" + text.encode())
    add("err-bom-middle.yaml", HEADER.encode() + b"\xef\xbb\xbfimageDir: /x\n")
    add("err-bom-thousand.yaml", b"\xef\xbb\xbf" * 1000 + text.encode())
    add("err-unicode-values.yaml", HEADER + "description: \"\u202e\u0000\ufeff\U0001F600 \\u2028\"\n")


def tags(add):
    for name, value in [
        ("binary", "!!binary aGVsbG8="), ("python", "!!python/object:os.system [id]"),
        ("custom", "!custom x"), ("verbatim", "!<tag:yaml.org,2002:int> 1"),
        ("int-on-version", None), ("set", "!!set {a, b}"), ("omap", "!!omap [a: 1]"),
        ("timestamp", "!!timestamp 2001-12-14"),
    ]:
        if value is None:
            add("err-tag-int-on-version.yaml", "version: !!int 1\nname: hostile\ncontainer: counter\nimageDir: rel\n")
        else:
            add(f"err-tag-{name}.yaml", HEADER + f"description: {value}\n")
    add("err-tag-directive.yaml", "%TAG !e! tag:example.com,2000:\n---\n" + HEADER + "description: !e!x y\n")
    add("err-yaml-directive-2.yaml", "%YAML 2.0\n---\n" + HEADER)
    add("err-tag-on-mapping.yaml", HEADER + "criu: !!set {a: 1}\n")
    add("err-merge-key.yaml", HEADER + "base: &b {logLevel: 4}\ncriu:\n  <<: *b\n")
    add("err-complex-key.yaml", HEADER + "? [a, b]\n: 1\n")
    add("err-multiple-documents-1000.yaml", (HEADER + "---\n") * 1000)


def numbers(add):
    for name, line in [
        ("version-huge", "version: 99999999999999999999999999999\n"),
        ("version-negative", "version: -1\n"), ("version-float", "version: 1.0e400\n"),
        ("version-hex-huge", "version: 0xffffffffffffffffffffffff\n"), ("version-inf", "version: .inf\n"),
        ("version-nan", "version: .nan\n"), ("version-octal", "version: 0o7777777777777777777777777\n"),
        ("version-int-min", "version: -9223372036854775808\n"), ("version-int-max", "version: 9223372036854775807\n"),
        ("version-sexagesimal", "version: 1:00:00\n"),
    ]:
        add(f"err-number-{name}.yaml", line + "name: hostile\ncontainer: counter\n")
    for value in ["99999999999999999999", "-9223372036854775809", "0x7fffffffffffffff", "1e308", "-1", "4.0"]:
        add(f"err-number-loglevel-{value}.yaml", HEADER + f"criu:\n  logLevel: {value}\n")


def durations(add):
    values = [
        "9223372036854775808ms", "2562047788015h2562047788015h", "9223372036854775807ms1ms",
        "2562047788015h", "9223372036854775807ms", "24h1ms", "25h", "86400001ms", "1441m",
        "9" * 5000 + "h", "23h" * 1000, "0ms", "1" + "0" * 30 + "s", "18446744073709551616ms", "-1s",
    ]
    for index, value in enumerate(values):
        for field in ("dump", "restore"):
            add(f"err-duration-{field}-{index}.yaml", HEADER + f"timeouts:\n  {field}: {value}\n")


def templates(add):
    def nested(depth):
        return "${env.A:-" * depth + "/x" + "}" * depth

    for depth in (9, 100, 1000, 1800, 3000):
        add(f"err-template-nested-{depth}.yaml", HEADER + f"imageDir: {nested(depth)}\n")
        add(f"err-template-nested-pidfile-{depth}.yaml", HEADER + f"restore:\n  pidfile: {nested(depth)}\n")
    add("err-template-unterminated-nested.yaml", HEADER + "imageDir: " + "${env.A:-" * 1000 + "\n")
    add("err-template-braces-only.yaml", HEADER + "imageDir: /${" + "{" * 5000 + "}" * 5000 + "}\n")
    add("err-template-self.yaml", HEADER + "imageDir: ${imageDir}/x\n")
    add("err-template-self-in-default.yaml", HEADER + "imageDir: ${env.A:-${imageDir}}\n")
    add("err-template-empty.yaml", HEADER + "imageDir: /${}\n")
    add("err-template-bad-env.yaml", HEADER + "imageDir: /${env.1A}\n")
    add("err-template-65-vars.yaml", HEADER + "imageDir: /" + "${container.id}" * 65 + "\n")
    add("err-template-1000-vars.yaml", HEADER + "imageDir: /" + "${container.id}" * 1000 + "\n")
    add("err-template-unknown-2000.yaml", HEADER + "imageDir: /" + "${nope}" * 2000 + "\n")
    add("err-template-internal.yaml", HEADER + "imageDir: /${rootfs.lowerdir}\n")
    add("err-template-pid-in-imagedir.yaml", HEADER + "imageDir: /x/${container.pid}\n")
    add("err-template-long-env-name.yaml", HEADER + "imageDir: /${env." + "A" * 15_000 + "}\n")


# Safe as argv (no shell ever sees them): Docker's own root (where the default
# image dir lives), a single-quoted scalar whose line break folds to a space,
# a long name, `*` and a space.
SAFE_PATHS = {6, 10, 12, 15, 16}


def dangerous_paths(add):
    for index, path in enumerate([
        "/", "/proc/self/mem", "/etc", "/dev/sda", "/sys/kernel", "//", "/var/lib/docker",
        "/tmp/../etc", "rel/dir", "", "'/tmp/a\nb'", "\"/tmp/a\\0b\"", "/" + "x" * 300,
        "/tmp/" + "a/" * 2000, "~root/x", "/tmp/*", "/tmp/a b", "\"/tmp/\\t\"",
    ]):
        verdict = "ok" if index in SAFE_PATHS else "err"
        add(f"{verdict}-path-imagedir-{index}.yaml", HEADER + f"imageDir: {path}\n")
        add(f"{verdict}-path-pidfile-{index}.yaml", HEADER + f"restore:\n  pidfile: {path}\n")


ARGV_PAYLOADS = [
    "--help", "-rf", "'--exec=/bin/sh'", "'$(reboot)'", "'; rm -rf /'", "'`id`'", "'a b'",
    "\"a\\nb\"", "\"--x\\0y\"", "' --leading-space'", "'|cat'", "'>/etc/passwd'",
]

STRING_FIELDS = {
    "name": "name: {}\ncontainer: counter\n",
    "description": "name: hostile\ncontainer: counter\ndescription: {}\n",
    "container": "name: hostile\ncontainer: {}\n",
    "docker-binary": "name: hostile\ncontainer: counter\ndocker:\n  binary: {}\n",
    "docker-home": "name: hostile\ncontainer: counter\ndocker:\n  home: {}\n",
    "docker-host": "name: hostile\ncontainer: counter\ndocker:\n  host: {}\n",
    "criu-binary": "name: hostile\ncontainer: counter\ncriu:\n  binary: {}\n",
    "criu-extraargs": "name: hostile\ncontainer: counter\ncriu:\n  extraArgs: [{}]\n",
    "imagedir": "name: hostile\ncontainer: counter\nimageDir: {}\n",
    "extmount-path": "name: hostile\ncontainer: counter\nextMounts:\n  - path: {}\n    restore: /x\n",
    "extmount-dump": "name: hostile\ncontainer: counter\nextMounts:\n  - path: /x\n    dump: {}\n    restore: /x\n",
    "extmount-restore": "name: hostile\ncontainer: counter\nextMounts:\n  - path: /x\n    restore: {}\n",
    "restore-pidfile": "name: hostile\ncontainer: counter\nrestore:\n  pidfile: {}\n",
    "restore-checkpoint": "name: hostile\ncontainer: counter\nmode: native\nrestore:\n  checkpoint: {}\n",
    "storage-driver": "name: hostile\ncontainer: counter\nstorage:\n  driver: {}\n",
    "operation": "name: hostile\ncontainer: counter\noperation: {}\n",
    "mode": "name: hostile\ncontainer: counter\nmode: {}\n",
}


def argv_verdict(field: str, index: int) -> str:
    """A description never reaches an argv; a binary named like `$(reboot)`,
    `a b` or `|cat` is only an odd file name to exec (no shell), warned about
    as not looking like docker or criu; everything else is refused."""
    if field == "description":
        return "ok"
    if field in ("docker-binary", "criu-binary") and index in (3, 5, 6, 9, 10):
        return "warn"
    return "err"


def argv_injection(add):
    for field, template in STRING_FIELDS.items():
        for index, payload in enumerate(ARGV_PAYLOADS):
            add(f"{argv_verdict(field, index)}-argv-{field}-{index}.yaml", "version: 1\n" + template.format(payload))


# Each option and what lint says of it: refused (reserved for crplan, destroys
# the checkpoint, runs code from an unknown place, not an option), warned
# about (runs code the operator names), or accepted as the operator's choice.
CRIU_OPTIONS = [
    ("--action-script=/tmp/x", "warn"), ("--exec-cmd", "err"), ("--lazy-pages", "ok"), ("--track-mem", "err"),
    ("--auto-dedup", "err"), ("--auto-ded", "err"), ("--auto-dedup=1", "err"), ("--root=/", "err"),
    ("--pidfile=/etc/passwd", "err"), ("--images-dir=/", "err"), ("--work-dir=/", "err"),
    ("--inherit-fd=fd[1]:x", "ok"), ("--ext-mount-map=a:b", "err"), ("--external=mnt[]:x", "ok"),
    ("--log-file=/etc/shadow", "err"), ("--display-stats", "ok"), ("--ms", "ok"), ("--", "err"), ("--=x", "err"),
    ("---x", "err"), ("--tree=1", "err"), ("--veth-pair=a=b", "ok"), ("--lsm-profile=unconfined", "ok"),
    ("--cgroup-root=/", "ok"), ("--enable-fs=all", "ok"), ("--skip-in-flight", "ok"), ("--tcp-close", "ok"),
    ("--network-lock=skip", "ok"), ("-R", "err"), ("-j", "err"), ("-v4", "err"), ("-vvvv", "err"),
    ("--leave-run", "err"), ("--evasive", "err"), ("--manage-cgroups=full", "err"), ("--ext-mount", "err"),
    ("--images", "err"), ("--pid", "err"),
]


def criu_options(add):
    for index, (option, verdict) in enumerate(CRIU_OPTIONS):
        add(f"{verdict}-criu-option-{index}.yaml", HEADER + f"criu:\n  extraArgs: ['{option}']\n")


def truncations(add, path):
    with open(path, "rb") as f:
        data = f.read()
    for cut in range(0, len(data), max(1, len(data) // 40)):
        add(f"any-truncated-wiki-aufs-{cut}.yaml", data[:cut])


def random_mutations(add, path):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    rng = random.Random(2026)
    alphabet = b"{}[]:&*!|>'\"%@`#-,?$\n\t \x00\xff"
    for index in range(60):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(mutated))
            choice = rng.randrange(3)
            if choice == 0:
                mutated[position] = rng.choice(alphabet)
            elif choice == 1:
                mutated.insert(position, rng.choice(alphabet))
            else:
                del mutated[position]
        add(f"any-mutated-overlay2-{index}.yaml", bytes(mutated))


if __name__ == "__main__":
    sys.exit(main())
