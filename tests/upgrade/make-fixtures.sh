#!/bin/sh
# Makes the upgrade fixtures with the code of each earlier schema version: a git worktree
# of that release's last commit in /tmp, this repository's node_modules linked into it,
# tests/upgrade/make-fixture.ts copied in and run there. Run from the repository root:
#   sh tests/upgrade/make-fixtures.sh
# Schema versions that shipped (migrations 1-3 came together) and the last commit of each:
#   v3 fa3ed7b^   (0001-0003)          v4 8975045^   (+0004 command dismissal)
#   v5 fd5d6f8^   (+0005 event counts) v6 bf9b20f^1  (+0006 people)
#   v7 dcba9e1    (+0007 event parties; main before issue 15)
set -eu
root=$(pwd)
out="$root/tests/upgrade/fixtures"
mkdir -p "$out"
for pair in v3:fa3ed7b^ v4:8975045^ v5:fd5d6f8^ v6:bf9b20f^1 v7:dcba9e1; do
  version=${pair%%:*}
  commit=${pair#*:}
  tree=$(mktemp -d /tmp/griddeck-fixture-$version-XXXXXX)
  rmdir "$tree"
  git worktree add --detach "$tree" "$commit" >/dev/null
  ln -s "$root/node_modules" "$tree/node_modules"
  mkdir -p "$tree/tests/upgrade"
  cp "$root/tests/upgrade/make-fixture.ts" "$tree/tests/upgrade/make-fixture.ts"
  (cd "$tree" && npx --no-install tsx tests/upgrade/make-fixture.ts "$out/replica-$version.sqlite.gz")
  git worktree remove --force "$tree"
  echo "made $out/replica-$version.sqlite.gz with $(git rev-parse --short "$commit")"
done
