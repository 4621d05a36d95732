#!/usr/bin/env bash
# resolve.sh: resolves one or more pinned JVM dependency sets (profiles of
# tests/jvm/pom.xml: clients, tools, server) with Maven into a cache outside
# the repository and prints their classpath (':'-separated jars) on stdout.
#
#   tests/jvm/resolve.sh clients          # kafka-clients 4.4.0 + slf4j 2.0
#   tests/jvm/resolve.sh tools            # kafka-tools 4.4.0 (ProducerPerformance)
#   tests/jvm/resolve.sh clients server   # several sets: one classpath
#
# Cache: $STRATA_MAVEN_CACHE (default ~/.cache/strata/maven): repository/ is
# Maven's local repository, classpath/ one file per (pom.xml, sets) pair.
# A set resolved once resolves again without network: the classpath file is
# reused while every jar it names exists, and otherwise Maven runs offline
# (-o) before it is allowed to go online.
#
# Exit status: 0 classpath printed; 3 the sets are not in the cache and the
# Maven repository cannot be reached (the one case a test may skip); 1 any
# other failure (Maven missing, an artifact not found, ...); 2 usage.
# Needs mvn (Debian's maven; deploy/install-deps.sh jvm installs it).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pom=$here/pom.xml
cache=${STRATA_MAVEN_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/strata/maven}

log() { printf '[resolve %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

[ $# -gt 0 ] || { echo "usage: $0 SET... (profiles of $pom: clients, tools, server)" >&2; exit 2; }
for set in "$@"; do
  grep -q "<id>$set</id>" "$pom" || { log "no profile '$set' in $pom"; exit 2; }
done
sets=$(printf '%s\n' "$@" | sort -u | paste -sd, -)

# The key covers the pom (every pinned version) and the sets asked for.
key=$( { cat "$pom"; echo "$sets"; } | sha256sum | cut -c1-16)
cp_file=$cache/classpath/${sets//,/+}-$key.txt

all_exist() {
  local jar
  [ -s "$1" ] || return 1
  while IFS= read -r jar; do [ -f "$jar" ] || return 1; done < <(tr ':' '\n' <"$1")
}

if all_exist "$cp_file"; then
  cat "$cp_file"; echo
  exit 0
fi

command -v mvn >/dev/null ||
  { log "mvn not found: run deploy/install-deps.sh jvm (Debian's maven)"; exit 1; }

# Maven runs on a copy of the pom in the cache, so nothing is written into
# the source tree.
work=$cache/work/$key
mkdir -p "$work" "$cache/classpath" "$cache/repository"
cp "$pom" "$work/pom.xml"
out=$work/classpath.txt
rm -f "$out"
# The plugin by its full coordinates (version pinned in the pom): a missing
# plugin then reads as a failed transfer, not as an unknown prefix.
plugin_version=$(sed -n 's:.*<maven-dependency-plugin.version>\(.*\)</.*:\1:p' "$pom")
mvn_args=(-B -f "$work/pom.xml" -Dmaven.repo.local="$cache/repository" -P "$sets"
  "org.apache.maven.plugins:maven-dependency-plugin:$plugin_version:build-classpath" -Dmdep.outputFile="$out" -Dmdep.pathSeparator=:)

if mvn -o "${mvn_args[@]}" >"$work/mvn-offline.log" 2>&1 && [ -s "$out" ]; then
  log "$sets: resolved from the cache (offline)"
else
  log "$sets: not all in $cache/repository; resolving from the Maven repository"
  # -U: Maven remembers a failed transfer in the local repository and would
  # not retry it for a day; a machine that was offline must recover at once.
  if ! mvn -U "${mvn_args[@]}" >"$work/mvn.log" 2>&1 || [ ! -s "$out" ]; then
    net='Could not transfer|UnknownHostException|Connection refused|Connect(ion)? timed out|Network is unreachable|No route to host|Temporary failure in name resolution'
    if grep -qE "$net" "$work/mvn.log"; then
      log "$sets: the Maven repository cannot be reached and the cache lacks these artifacts:"
      grep -m1 -E "$net" "$work/mvn.log" | cut -c1-400 >&2 || true
      exit 3
    fi
    log "$sets: mvn failed (log $work/mvn.log):"
    grep -E '\[ERROR\]' "$work/mvn.log" | head -10 | cut -c1-300 >&2 || tail -20 "$work/mvn.log" >&2
    exit 1
  fi
fi
all_exist "$out" || { log "$sets: Maven's classpath names a missing jar: $out"; exit 1; }
cp "$out" "$cp_file.tmp.$$" && mv "$cp_file.tmp.$$" "$cp_file"
cat "$cp_file"; echo
