#!/usr/bin/env bash
# Push the Colab editions that a book build wrote (<html>/colab/) to their own branch, as a single
# commit that replaces the branch (the editions are build output; their history is the main
# branch's). Colab opens notebooks only from GitHub paths, so the Colab buttons of the book point at
#   https://colab.research.google.com/github/<owner>/<repo>/blob/<branch>/<NN_name>.ipynb
# The branch name comes from the manifest the build wrote (colab_edition_branch in _config.yml).
#
# Usage: tools/publish_colab_editions.sh <html>/colab [remote]   (run inside the git checkout;
# the CI workflow calls it after `make book`, with the checkout's push credentials).
set -euo pipefail

editions=${1:?usage: publish_colab_editions.sh <html>/colab [remote]}
remote=${2:-origin}
manifest="$editions/manifest.json"
[[ -f "$manifest" ]] || { echo "no $manifest: build the book first" >&2; exit 1; }

field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$manifest" "$1"; }
branch=$(field branch)
commit=$(field commit)
[[ -n "$branch" && "$branch" != main ]] || { echo "refusing to publish to branch '$branch'" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$editions"/*.ipynb "$manifest" "$work/"
cat > "$work/README.md" <<README
# Colab editions (generated)

Built by the book's CI from commit $commit; do not edit. Each notebook installs attn_lib from that
commit in its first cell. The sources are the notebooks/ folder of the main branch.
README

git -C "$work" init -q -b "$branch"
git -C "$work" add -A
git -C "$work" -c user.name="attn-book CI" -c user.email="attn-book-ci@users.noreply.github.com" \
  commit -q -m "Colab editions built from $commit"
git fetch -q "$work" "$branch"
git push -q --force "$remote" "FETCH_HEAD:refs/heads/$branch"
echo "published $(ls "$work"/*.ipynb | wc -l) Colab editions to $remote/$branch (from $commit)"
