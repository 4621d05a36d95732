#!/usr/bin/env python3
"""The layers of docs/design.md, checked on the source tree (CTest
build.layers): a file may include headers of its own layer and of the layers
below it, never above. Quoted includes name a path from the repository root
("storage/segment.h"), generated protobuf code lives under "strata/v1/" and
"etcd/" (proto/), and libstrata's public headers are <strata/...>.

    python3 tests/build/check_layers.py [ROOT]

Prints every include that points up a layer and exits 1 when there is one.
"""
import os
import re
import sys

# Layer -> the layers its files may include (its own included).
ALLOWED = {
    "common": {"common"},
    "storage": {"common", "storage"},
    "replication": {"common", "storage", "proto", "replication"},
    "client": {"common", "proto", "client"},
    "broker": {"common", "storage", "proto", "replication", "broker"},
    "tools": {"common", "storage", "proto", "client", "tools"},
}
SOURCE = re.compile(r"\.(h|hh|hpp|cc|cpp)$")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of_include(path, bracket, public_client):
    """The layer a project include belongs to, or None for a system header."""
    first = path.split("/", 1)[0]
    if first in ("strata", "etcd") and path.endswith(".pb.h"):
        return "proto"
    if first == "strata" and path.split("/", 1)[-1] in public_client:
        return "client"
    if bracket == '"' and first in ALLOWED:
        return first
    return None


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), "..", ".."))
    public_dir = os.path.join(root, "client", "include", "strata")
    public_client = sorted(os.listdir(public_dir))
    violations, files = [], 0
    for layer, allowed in ALLOWED.items():
        base = os.path.join(root, layer)
        for dirpath, _, names in os.walk(base):
            for name in names:
                if not SOURCE.search(name):
                    continue
                files += 1
                path = os.path.join(dirpath, name)
                with open(path, errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = layer_of_include(m.group(2), m.group(1), public_client)
                        if target is not None and target not in allowed:
                            violations.append("%s:%d: %s includes %s, of the %s layer" % (
                                os.path.relpath(path, root), number, layer, m.group(2),
                                target))
    # libstrata's public headers stand alone: nothing of the client's src/.
    for name in public_client:
        path = os.path.join(public_dir, name)
        with open(path) as f:
            for number, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if m and m.group(2).startswith("client/"):
                    violations.append("client/include/strata/%s:%d: a public header includes "
                                      "the client's private %s" % (name, number, m.group(2)))
    for v in violations:
        print(v)
    print("check_layers: %d files, %d includes against the layers" % (files, len(violations)))
    return 1 if violations or files == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
