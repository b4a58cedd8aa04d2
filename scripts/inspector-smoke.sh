#!/bin/sh
# The MCP Inspector's CLI mode against `toolsmith serve`, in a copy of this repository's
# workspace: lists the tools and calls one, and checks both answers. CI runs it after
# `npm test` (.ci/run). The Inspector is pinned: 1.0.3 is the last line whose CLI mode runs on
# Node 20 (it declares Node >= 22.7.5 and npm warns EBADENGINE, but the CLI mode works; 2.x
# needs Node >= 22.19). npx installs it into npm's cache on first use: about 12 s and 260 MB of
# cache on a cold machine here, nothing afterwards.
# Usage: sh scripts/inspector-smoke.sh   (after `npm run build`)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
ws=$(mktemp -d)
trap 'rm -rf "$ws"' EXIT
cp -R "$root/registry" "$root/toolsmith.config.json" "$ws/"
rm -f "$ws/registry/metrics.json"
cd "$ws"
inspector="npx -y @modelcontextprotocol/inspector@1.0.3 --cli node $root/bin/toolsmith.js serve"
# The first call downloads the Inspector: one retry after a pause, so a registry hiccup is not
# read as a failure of toolsmith (a second failure is reported with npm's own message).
list=$($inspector --method tools/list 2>/dev/null) || { sleep 5; list=$($inspector --method tools/list); } || { echo "the Inspector's tools/list failed"; exit 1; }
echo "$list" | grep -q '"name": "json_pointer_get"' || { echo "tools/list did not list json_pointer_get:"; echo "$list"; exit 1; }
call=$($inspector --method tools/call --tool-name json_pointer_get --tool-arg 'document={"a":1}' --tool-arg pointer=/a 2>/dev/null) || { echo "the Inspector's tools/call failed"; exit 1; }
echo "$call" | grep -q '"value": 1' || { echo "tools/call did not return the value:"; echo "$call"; exit 1; }
echo "MCP Inspector CLI (1.0.3): tools/list and tools/call against toolsmith serve: ok"
