"""Which assignment an upload is for (grader/intake/matching.py), from the names its files bind, in
process: the chosen assignment is kept when the upload defines any of its functions, the one
defining most is found when none is chosen, and a refusal names what the upload defines and
where it belongs, in full sentences."""

from __future__ import annotations

import pytest

from grader.intake.matching import Match, functions_of, match_assignment
from grader.intake.uploads import Rejected

HW1 = functions_of("hw1")
HW2 = functions_of("hw2")


def refusal(names: set[str], chosen: str | None) -> str:
    with pytest.raises(Rejected) as raised:
        match_assignment(names, chosen)
    return str(raised.value)


def test_the_assignments_functions_are_listed_in_their_order():
    assert HW1[:3] == ("sigmoid", "forward", "loss") and len(HW1) == 21
    assert HW2 == (
        "momentum_step",
        "momentum_matrix",
        "momentum_rate",
        "momentum_eta_range",
        "best_momentum",
        "best_momentum_rate",
    )


def test_a_chosen_assignment_is_kept_and_its_missing_functions_named_in_its_order():
    match = match_assignment({"best_momentum", "momentum_step", "helper", "sigmoid", "forward"}, "hw2")
    assert match == Match(
        "hw2", ("momentum_matrix", "momentum_rate", "momentum_eta_range", "best_momentum_rate"), False
    )
    assert match_assignment(set(HW2), "hw2") == Match("hw2", (), False)


def test_without_a_choice_the_assignment_defining_most_is_taken():
    assert match_assignment({"momentum_step", "momentum_rate", "sigmoid"}, None) == Match(
        "hw2", tuple(f for f in HW2 if f not in {"momentum_step", "momentum_rate"}), True
    )
    match = match_assignment({"momentum_step", "sigmoid", "forward"}, None)
    assert match.assignment == "hw1" and match.inferred and match.missing == HW1[2:]


def test_a_tie_goes_to_the_first_assignment():
    assert match_assignment({"momentum_step", "sigmoid"}, None).assignment == "hw1"


def test_an_upload_for_another_assignment_is_refused_and_sent_there():
    assert refusal({"momentum_step", "momentum_rate", "x"}, "hw1") == (
        "the upload defines none of hw1's functions (sigmoid, forward, loss, dE_dyhat, dh_dz, dz_dW1, "
        "dyhat_dW2, dz_dx and 13 more); it defines momentum_step, momentum_rate, which are hw2's: "
        "hand it in as hw2"
    )
    assert refusal({"sigmoid"}, "hw2") == (
        "the upload defines none of hw2's functions (momentum_step, momentum_matrix, momentum_rate, "
        "momentum_eta_range, best_momentum, best_momentum_rate); it defines sigmoid, which are hw1's: "
        "hand it in as hw1"
    )


def test_an_upload_defining_no_assignments_function_is_refused_naming_what_it_defines():
    assert refusal({"zeta", "alpha", "mid"}, None) == (
        "the upload defines none of hw1's functions (sigmoid, forward, loss, dE_dyhat, dh_dz, dz_dW1, "
        "dyhat_dW2, dz_dx and 13 more); it defines only alpha, mid, zeta"
    )
    assert refusal(set(), "hw2").endswith("best_momentum_rate); it defines no function at all")


def test_the_names_listed_in_a_refusal_are_cut_printable_and_counted():
    message = refusal({f"f{i:02d}" for i in range(10)}, "hw2")
    shown = ", ".join(f"f{i:02d}" for i in range(8))
    assert message.endswith(f"it defines only {shown} and 2 more")
    message = refusal({"\x1b[31m" + "y" * 100}, "hw2")
    assert message.endswith("it defines only \\x1b[31m" + "y" * 52), "escaped, then cut at 60 characters"
    nine = {f"f{i}" for i in range(9)}
    assert refusal(nine, "hw2").endswith("f7 and 1 more")
    eight = {f"f{i}" for i in range(8)}
    assert refusal(eight, "hw2").endswith("f6, f7")
