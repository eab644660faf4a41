"""The `grader` command line: grade for instructors, check for students, validate for authors."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader import __version__, assignments
from grader.explain.feedback import Reveal
from grader.frontends.service_commands import register as register_service_commands
from grader.plan.cases import DEFAULT_CASES, DEFAULT_SEED

FORMAT_CHOICES = ("table", "json", "csv", "gradescope")
solutions_option = click.option(
    "--solutions",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of the reference solution (default: $GRADER_SOLUTIONS, else this checkout's solutions/).",
)
assignment_option = click.option(
    "--assignment",
    type=click.Choice(assignments.ids()),
    default=assignments.DEFAULT,
    show_default=True,
    help="The assignment of files outside nbgrader's layout (there, the <assignment> folder decides).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="grader")
def main() -> None:
    """Grade the backpropagation and gradient-descent homework.

    Student code always runs in a separate, sandboxed process; the reference solution and
    the expected answers never leave the grader.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMAT_CHOICES),
    default="table",
    show_default=True,
    help="table: marks per exercise and student; json: SPEC section 5; "
    "csv: one row per student, a column per exercise.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the results to this file instead of standard output.",
)
@click.option(
    "--seed",
    type=int,
    default=DEFAULT_SEED,
    show_default=True,
    help="Assignment seed: the same seed gives the same cases, scores and feedback.",
)
@click.option(
    "--cases",
    type=click.IntRange(min=10),
    default=DEFAULT_CASES,
    show_default=True,
    help="Random cases per function.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Submissions graded in parallel.",
)
@click.option(
    "--reveal",
    type=click.Choice([r.value for r in Reveal]),
    default=Reveal.SHAPES.value,
    show_default=True,
    help="What feedback may show: none, shapes (the failing input and "
    "the student's answer) or values (also the expected answer).",
)
@solutions_option
@assignment_option
@click.option(
    "--carry-forward/--no-carry-forward",
    default=False,
    show_default=True,
    help="Give full marks to a chained gradient that is wrong only because the student's own "
    "earlier function is (the feedback says so either way).",
)
@click.option(
    "--feedback",
    "feedback_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write one Markdown and one self-contained HTML feedback file per student here.",
)
@click.option(
    "--shard",
    help="Grade only shard K of N (K/N, e.g. 2/4): a deterministic 1/N of the batch. "
    "Combine the shards' JSON with `grader merge`.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Generate the cases afresh instead of reading them from the case cache ($GRADER_CACHE); "
    "use it where other code runs as your user (e.g. nbgrader's kernels) and could write there.",
)
@click.option(
    "--fresh-shrinks",
    is_flag=True,
    help="Shrink every failure with Hypothesis from scratch instead of walking the shrinks of "
    "earlier submissions. Slower; the results are the same (for checking and benchmarks).",
)
def grade(
    paths,
    output_format,
    output,
    seed,
    cases,
    jobs,
    reveal,
    solutions,
    assignment,
    carry_forward,
    feedback_dir,
    shard,
    no_cache,
    fresh_shrinks,
) -> None:
    """Grade submissions: notebooks, .py files, or folders searched recursively.

    nbgrader's submitted/<student>/<assignment>/*.ipynb layout gives one submission per
    student and assignment, named after the student folder; any other file is a submission
    of its own, named after its file stem. A file that cannot be read is reported and listed
    with status `error`; the others are still graded.
    """
    from grader.core.options import Options
    from grader.frontends.commands import run_grade

    options = Options(
        seed=seed,
        cases=cases,
        reveal=Reveal(reveal),
        carry_forward=carry_forward,
        use_cache=not no_cache,
        shared_shrinks=not fresh_shrinks,
    )
    from grader.core.shards import ShardError, parse_shard

    try:
        part = parse_shard(shard) if shard else None
    except ShardError as exc:
        raise click.BadParameter(str(exc), param_hint="--shard") from None
    code = run_grade(
        list(paths), output_format, output, options, jobs, solutions, feedback_dir, part, assignment
    )
    sys.exit(code)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--assignment",
    type=click.Choice(assignments.ids()),
    help="The assignment the files belong to (default: the one whose functions each defines).",
)
def check(paths, assignment) -> None:
    """Self-check your notebooks or .py files (or a folder of them) before you submit; exits 1
    when a check fails.

    Runs checks that need no reference solution: finite differences for gradients and
    Jacobians, single steps and runs of the iteration for rates and step-size ranges, and
    shapes. Passing them is a good sign, not a guarantee: the grader tests many more cases.
    """
    from grader.student.check import run_check

    sys.exit(run_check(list(paths), assignment))


@main.command()
@solutions_option
@assignment_option
@click.option(
    "--assignments",
    "released",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default="assignments",
    show_default=True,
    help="Folder of the released notebooks (one subfolder per assignment).",
)
@click.option(
    "--mistakes",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Library of known student mistakes, each file listing the functions it affects "
    "(default: tests/submissions/<assignment>/mistakes); the correct solutions beside it "
    "(../base.py, ../correct/) must get full marks.",
)
@click.option("--cases", type=click.IntRange(min=10), default=DEFAULT_CASES, show_default=True)
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True)
def validate(solutions, assignment, released, mistakes, cases, seed) -> None:
    """Check the grader itself: the reference passes its own finite-difference and iteration
    checks and gets full marks, the released stubs get zero, and every known mistake loses
    marks exactly where it should."""
    from grader.authoring.validate import run_validate

    sys.exit(run_validate(assignment, solutions, released, mistakes, cases, seed))


@main.command()
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default="report.html",
    show_default=True,
    help="The HTML report; a CSV of per-exercise scores is written beside it.",
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the CSV (default: the report's name with .csv).",
)
def report(results, output, csv_path) -> None:
    """Build a class report from RESULTS.json (written by `grade --format json`): the score
    distribution, the pass rate per exercise and how often each recognised mistake occurs."""
    from grader.report.class_report import BadResults, write_report

    try:
        html_path, csv_written = write_report(results, output, csv_path)
    except BadResults as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {html_path} and {csv_written}")


@main.command("gradescope-bundle")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@solutions_option
@assignment_option
@click.option(
    "--policy",
    type=click.Choice(("latest", "best")),
    default="latest",
    show_default=True,
    help="Which hand-in's score counts: the latest, or the best so far (from Gradescope's metadata).",
)
@click.option(
    "--visibility",
    type=click.Choice(("hidden", "after_due_date", "after_published", "visible")),
    default="visible",
    show_default=True,
    help="When students see the tests' results.",
)
def gradescope_bundle(output, solutions, assignment, policy, visibility) -> None:
    """Build a Gradescope autograder zip for one assignment (setup.sh, install.sh,
    run_autograder, this grader, the reference and the released notebooks): every hand-in is
    graded as one submission, in the sandbox."""
    from grader.plan.reference import default_solutions_dir
    from grader.report.gradescope import bundle

    folder = solutions or default_solutions_dir()
    if folder is None:
        raise click.ClickException("no reference solution found: pass --solutions DIR")
    project = Path(__file__).resolve().parent.parent.parent
    target = assignments.get(assignment)
    click.echo(f"wrote {bundle(output, project, folder, target, policy, visibility)}")


@main.command("gradescope-run")
@click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default="/autograder", show_default=True
)
@assignment_option
@solutions_option
@click.option("--policy", type=click.Choice(("latest", "best")), default="latest", show_default=True)
@click.option(
    "--visibility",
    type=click.Choice(("hidden", "after_due_date", "after_published", "visible")),
    default="visible",
    show_default=True,
)
@click.option(
    "--warm", is_flag=True, help="Only build the plan (cases into $GRADER_CACHE), for the install step."
)
def gradescope_run(root, assignment, solutions, policy, visibility, warm) -> None:
    """Grade the hand-in in ROOT/submission as Gradescope's run_autograder does, and write
    ROOT/results/results.json."""
    from grader.frontends import gradescope

    if warm:
        gradescope.warm(assignment, solutions)
        return
    document = gradescope.run(root, assignment, solutions, policy, visibility)
    click.echo(f"{root}/results/results.json: {document['score']:g}")


@main.command()
@click.argument(
    "shards", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the merged JSON here instead of standard output.",
)
def merge(shards, output) -> None:
    """Merge the JSON results of `grade --shard K/N` runs into one, identical to an unsharded run."""
    from grader.core.shards import ShardError, merge_files

    try:
        text = merge_files(list(shards))
    except ShardError as exc:
        raise click.ClickException(str(exc)) from None
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@main.command()
def doctor() -> None:
    """Report which sandbox layers are active on this machine and what each missing one costs."""
    from grader.run.sandbox.doctor import probe

    layers = probe()
    for layer in layers:
        mark = "ok     " if layer.active else "MISSING"
        line = f"{mark} {layer.name:<26} {layer.detail}"
        if not layer.active:
            line += f"\n        without it: {layer.without}"
        click.echo(line)
    missing = [layer.name for layer in layers if not layer.active]
    click.echo(
        f"\n{len(layers) - len(missing)} of {len(layers)} layers active"
        + (f"; missing: {', '.join(missing)}" if missing else "")
    )
    sys.exit(1 if missing else 0)


register_service_commands(main)

if __name__ == "__main__":
    main()
