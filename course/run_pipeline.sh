#!/usr/bin/env bash
# nbgrader's whole pipeline on a folder of submissions, for every assignment in course/source/,
# then the checks:
#   generate_assignment, autograde, generate_feedback, export (nbgrader's standard grades.csv),
#   every exercise's score in nbgrader's gradebook == `grader grade` on a copy of the
#   submissions taken before nbgrader ran (its digest held here, where no kernel can reach it),
#   no randomised case, expected value, reference source or secret in the generated feedback.
# Usage: course/run_pipeline.sh [SUBMITTED_DIR] [WORK_DIR] [--shard K/N]
# Uses the python on PATH (or $PYTHON), which must have this project installed with nbgrader.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
submitted=$here/submitted work="" shard=""
positional=()
while [ $# -gt 0 ]; do
  case "$1" in
    --shard) shard=$2; shift 2 ;;
    *) positional+=("$1"); shift ;;
  esac
done
[ ${#positional[@]} -ge 1 ] && submitted=$(cd "${positional[0]}" && pwd)
[ ${#positional[@]} -ge 2 ] && work=${positional[1]}
work=${work:-$(mktemp -d -t nbgrader-course-XXXX)}
python=${PYTHON:-$(command -v python3)}
# absolute (the script changes folder below), without resolving a venv's python link
python="$(cd "$(dirname "$python")" && pwd)/$(basename "$python")"
bin=$(dirname "$python")
if ! "$python" -c "import nbgrader, grader" 2>/dev/null || [ ! -x "$bin/nbgrader" ]; then
  echo "run_pipeline.sh: $python has no nbgrader or no grader; install both into its environment:" >&2
  echo "  $bin/pip install -e \"$repo[course]\"   (or set PYTHON to a python that has them)" >&2
  exit 2
fi
export PATH="$bin:$PATH"   # nbgrader runs `alembic` from PATH when it creates the gradebook
export GRADER_SOLUTIONS="$repo/solutions"

rm -rf "$work" && mkdir -p "$work/submitted"
cp "$here/nbgrader_config.py" "$here/per_exercise_export.py" "$work/"
cp -r "$here/source" "$work/source"
students=$(cd "$submitted" && ls -d */ | tr -d / | sort)
index=0
for student in $students; do
  index=$((index + 1))
  if [ -n "$shard" ]; then
    k=${shard%/*} n=${shard#*/}
    [ $(( (index - 1) % n + 1 )) -eq "$k" ] || continue
  fi
  cp -r "$submitted/$student" "$work/submitted/$student"
done
pristine="$work/pristine/submitted"
mkdir -p "$work/pristine" && cp -r "$work/submitted" "$pristine"
digest=$("$python" -m grader.frontends.course digest "$pristine")
cd "$work"
assignments=$(cd source && ls -d */ | tr -d / | sort)
echo "== nbgrader in $work with: $(ls submitted | tr '\n' ' ')"
status=0   # a submission nbgrader fails on is reported, and the checks still run
for assignment in $assignments; do
  if ! compgen -G "submitted/*/$assignment" >/dev/null; then
    echo "== $assignment: no submissions yet, skipped"   # the normal state mid-semester
    continue
  fi
  nbgrader generate_assignment "$assignment" --force
  nbgrader autograde "$assignment" --force || status=1
  nbgrader generate_feedback "$assignment" --force || status=1
done
nbgrader export --to "$work/grades.csv"
echo "== checks"
"$python" -m grader.frontends.course agree "$work/gradebook.db" "$pristine" "$digest" || status=1
"$python" -m grader.frontends.course leaks "$work/feedback" "$repo/solutions" || status=1
echo "== done: $work/grades.csv, feedback in $work/feedback"
exit $status
