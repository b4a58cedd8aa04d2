#!/bin/sh
# The MCP Inspector's CLI mode against `toolsmith serve`, in a copy of this repository's
# workspace: lists the tools and calls one, and checks both answers. Not part of `npm test`:
# the Inspector that runs on Node 20 (1.0.3; later lines need Node 22) is a ~160 MB install.
# Usage: sh scripts/inspector-smoke.sh   (after `npm run build`)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
ws=$(mktemp -d)
trap 'rm -rf "$ws"' EXIT
cp -R "$root/registry" "$root/toolsmith.config.json" "$ws/"
cd "$ws"
inspector="npx -y @modelcontextprotocol/inspector@1.0.3 --cli node $root/bin/toolsmith.js serve"
list=$($inspector --method tools/list 2>/dev/null)
echo "$list" | grep -q '"name": "json_pointer_get"' || { echo "tools/list did not list json_pointer_get:"; echo "$list"; exit 1; }
call=$($inspector --method tools/call --tool-name json_pointer_get --tool-arg 'document={"a":1}' --tool-arg pointer=/a 2>/dev/null)
echo "$call" | grep -q '"value": 1' || { echo "tools/call did not return the value:"; echo "$call"; exit 1; }
echo "MCP Inspector CLI: tools/list and tools/call against toolsmith serve: ok"
