"""The text and stubs of hw2's notebook: one entry per graded function, in the order students
meet them. grader/authoring/build.py turns this into assignments/hw2/momentum.ipynb."""

from __future__ import annotations

from grader.model.assignment import Notebook, Section

INTRO = r"""# Momentum: the cure for the slow rate

In hw1 you found that gradient descent on

$$L(w_1, w_2) = \tfrac12 \left(a w_1^2 + b w_2^2\right), \qquad a, b > 0,$$

contracts the error by at best $\frac{\kappa - 1}{\kappa + 1}$ per step, $\kappa = \max(a,b)/\min(a,b)$: slow when
$\kappa$ is large. *Heavy-ball momentum* keeps a fraction $\beta$ of its last move:

$$w(t+1) = w(t) - \eta\, \nabla L(w(t)) + \beta\, \big(w(t) - w(t-1)\big).$$

The coordinates still do not interact, but each now remembers one step: with curvature $c$, the *state*
$(w_t, w_{t-1})$ of one coordinate evolves by a $2 \times 2$ matrix,

$$\begin{pmatrix} w_{t+1} \\ w_t \end{pmatrix} = M \begin{pmatrix} w_t \\ w_{t-1} \end{pmatrix}.$$

The iteration converges exactly when both eigenvalues of both coordinates' matrices lie strictly inside the
unit circle, and the *rate* is the largest eigenvalue modulus. You will find the step sizes that converge,
and Polyak's choice of $(\eta, \beta)$, whose rate involves $\sqrt{\kappa}$ instead of $\kappa$.

Conventions: `w` and `w_prev` are arrays of shape `(2,)`; $0 \le \beta < 1$. Self-check cells run the
iteration itself and compare what it does with your answers."""

SECTIONS: tuple[Section, ...] = (
    Section(
        "momentum_step",
        r"""## 1. One step

Return $w(t+1)$ from `w` $= w(t)$ and `w_prev` $= w(t-1)$, shape `(2,)`.""",
        "momentum_step(w, w_prev, a, b, eta, beta)",
        "The next heavy-ball iterate, shape (2,).",
    ),
    Section(
        "momentum_matrix",
        r"""## 2. The matrix of one coordinate

For one coordinate with curvature $c$, return the $2 \times 2$ matrix $M$ with
$(w_{t+1}, w_t) = M\,(w_t, w_{t-1})$: the first row gives the new iterate, the second copies the current one.""",
        "momentum_matrix(c, eta, beta)",
        "The 2 x 2 matrix of one coordinate's state (w_t, w_{t-1}).",
    ),
    Section(
        "momentum_rate",
        r"""## 3. The rate

The largest eigenvalue modulus over both coordinates' matrices, $\max_{c \in \{a, b\}} \max_i |\lambda_i(M_c)|$,
a float. The eigenvalues may be complex: their modulus is what shrinks the state. (`np.linalg.eigvals` is fine;
so is the quadratic formula.)""",
        "momentum_rate(a, b, eta, beta)",
        "The largest eigenvalue modulus over both coordinates, a float.",
    ),
    Section(
        "momentum_eta_range",
        r"""## 4. The step sizes that converge

For a fixed $0 \le \beta < 1$, return `(low, high)` such that momentum converges from every start exactly when
`low < eta < high`. Hint: write the characteristic polynomial of $M$ and ask where an eigenvalue reaches $-1$.""",
        "momentum_eta_range(a, b, beta)",
        "(low, high): momentum converges iff low < eta < high.",
    ),
    Section(
        "best_momentum",
        r"""## 5. Polyak's choice

Return `(eta, beta)`, shape `(2,)`, minimising the rate. Hint: the best choice gives *both* coordinates a
double root of the same modulus, $\sqrt{\beta}$.""",
        "best_momentum(a, b)",
        "(eta*, beta*) minimising momentum_rate, shape (2,).",
    ),
    Section(
        "best_momentum_rate",
        r"""## 6. The best rate

The minimal rate, as a float. Express it through $\kappa$ and compare it with GD's $\frac{\kappa-1}{\kappa+1}$.""",
        "best_momentum_rate(a, b)",
        "The rate at (eta*, beta*), a float.",
    ),
)

WRITTEN = r"""## 7. Written (4 points, graded by hand)

For $\kappa = 100$: how many iterations do GD at `best_eta` and momentum at `best_momentum` need to shrink the
error by a factor $10^{-6}$? Why does the square root of $\kappa$ appear?"""

NOTEBOOKS = (Notebook("momentum", INTRO, SECTIONS, WRITTEN),)
