#!/usr/bin/env bash
# Rebuilds the generated package when the committed copy no longer compiles
# with the mock (a new template or a contract change the mock has not caught
# up with): the generator is built from the last commit's generated code and
# mock, then run on the working tree's contract and templates.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git worktree add -q --detach "$tmp/wt" HEAD
trap 'git worktree remove --force "$tmp/wt"; rm -rf "$tmp"' EXIT
# The working tree's code, except the generated package and the mock.
git ls-files -co --exclude-standard | grep -v -e '^gen/resourcedirectorymaster/' -e '^mock/' |
	while read -r f; do mkdir -p "$tmp/wt/$(dirname "$f")"; cp "$f" "$tmp/wt/$f"; done
(cd "$tmp/wt" && go build -o "$tmp/acsconform" ./cmd/acsconform)
(cd gen && "$tmp/acsconform" gen --spec ../spec/resourcedirectorymaster.yaml --out resourcedirectorymaster --package resourcedirectorymaster)
