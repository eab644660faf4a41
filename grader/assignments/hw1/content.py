"""The text and stubs of the two student notebooks: one entry per graded function, in the
order students meet them. grader/authoring/build.py turns this into assignments/*.ipynb."""

from __future__ import annotations

from grader.model.assignment import Notebook, Section

BACKPROP_INTRO = r"""# Backpropagation through a two-layer sigmoid network

We train the network

$$z = W_1 x, \qquad h = \sigma(z), \qquad \hat y = W_2 h, \qquad E = \lVert \hat y - y \rVert_2^2$$

with $x \in \mathbb{R}^n$, $W_1 \in \mathbb{R}^{m \times n}$, $W_2 \in \mathbb{R}^{q \times m}$,
$y \in \mathbb{R}^q$ and the logistic function $\sigma(t) = 1 / (1 + e^{-t})$ applied entry by entry.
Note that $E$ has **no factor $\tfrac12$**.

Training needs $\partial E / \partial W_1$ and $\partial E / \partial W_2$. You will first build every
*Jacobian* on the way explicitly, then chain them. Conventions (the grader checks them exactly):

* all vectors are 1-D NumPy arrays: `x.shape == (n,)`;
* the Jacobian of a vector $u$ with respect to a vector $v$ has shape `(len(u), len(v))` and entry
  `[i, j]` $= \partial u_i / \partial v_j$;
* a Jacobian with respect to a *matrix* $W$ flattens $W$ row by row (NumPy's "C" order, `W.ravel()`):
  column `j * ncols + k` stands for `W[j, k]`;
* the gradient of the scalar $E$ with respect to a matrix has the matrix's shape.

Every function has a self-check cell. The self-check knows no answers: it compares your gradients with
*finite differences* of your own $E$, $\frac{E(\theta + \epsilon) - E(\theta - \epsilon)}{2 \epsilon}$.
The grader tests far more cases, including sizes of 1 and extreme values, so write code that works
for every $n, m, q \ge 1$."""

DESCENT_INTRO = r"""# The slow rate of gradient descent

Gradient descent (GD) on the quadratic

$$L(w_1, w_2) = \tfrac12 \left(a w_1^2 + b w_2^2\right), \qquad a, b > 0,$$

is the simplest model of an ill-conditioned problem: $a$ and $b$ are the curvatures along the two
axes. With step size $\eta$, one GD step is $w \leftarrow w - \eta \nabla L(w)$. Because the
coordinates do not interact, each one is simply multiplied by a *contraction factor*
$\rho_i$ per step, $w_i(t+1) = \rho_i\, w_i(t)$, so $w_i(t) = \rho_i^t\, w_i(0)$.

Everything follows from $\rho_1$ and $\rho_2$: when GD converges, when it converges without
oscillating, which step size is fastest, and why a large ratio $a/b$ makes it slow.

Self-check cells run GD itself: they try step sizes just inside and just outside the bounds you give."""

BACKPROP: tuple[Section, ...] = (
    Section(
        "sigmoid",
        r"""## 1. The sigmoid

$\sigma(z) = \dfrac{1}{1 + e^{-z}}$, applied to every entry; the result has the shape of `z`.

Numerical care: for $z = -1000$, $e^{-z}$ overflows. Rewrite the formula so that `exp` is only
ever applied to a non-positive number (two cases, $z \ge 0$ and $z < 0$, combined with `np.where`).""",
        "sigmoid(z)",
        "Elementwise logistic function, stable for large |z|.",
    ),
    Section(
        "forward",
        r"""## 2. The forward pass

Compute $z = W_1 x$, $h = \sigma(z)$ and $\hat y = W_2 h$, and return the tuple `(z, h, y_hat)` with shapes
`(m,)`, `(m,)`, `(q,)`. In NumPy `W1 @ x` is the matrix-vector product; keep every vector 1-D.""",
        "forward(x, W1, W2)",
        "Return (z, h, y_hat) for one input x.",
    ),
    Section(
        "loss",
        r"""## 3. The error

$E = \lVert \hat y - y \rVert_2^2 = \sum_i (\hat y_i - y_i)^2$, a Python float: a sum, not a mean, and no $\tfrac12$.""",
        "loss(y_hat, y)",
        "The squared error E as a float.",
    ),
    Section(
        "dE_dyhat",
        r"""## 4. $\partial E / \partial \hat y$

Differentiate $\sum_i (\hat y_i - y_i)^2$ entry by entry. Shape `(q,)`.""",
        "dE_dyhat(y_hat, y)",
        "Gradient of E with respect to y_hat, shape (q,).",
    ),
    Section(
        "dh_dz",
        r"""## 5. The sigmoid's Jacobian $\partial h / \partial z$

$h_i$ depends on $z_i$ only, so the Jacobian is diagonal, with $\sigma'(z_i) = \sigma(z_i)\,(1 - \sigma(z_i))$
on the diagonal. Return the full `(m, m)` matrix, not just its diagonal. Careful: the identity is in terms
of $\sigma(z)$, not $z$.""",
        "dh_dz(z)",
        "The (m, m) Jacobian of h = sigma(z).",
    ),
    Section(
        "dz_dW1",
        r"""## 6. $\partial z / \partial W_1$

$z_i = \sum_k (W_1)_{ik}\, x_k$ depends only on row $i$ of $W_1$. Flatten $W_1$ row by row: column
`j * n + k` of the Jacobian stands for `W1[j, k]`. The result is `(m, m * n)`, block-diagonal with
$x^\top$ in each of the $m$ diagonal blocks. `m` is passed because it cannot be read off `x`.""",
        "dz_dW1(x, m)",
        "The (m, m*n) Jacobian of z = W1 x with respect to W1 (row-major).",
    ),
    Section(
        "dyhat_dW2",
        r"""## 7. $\partial \hat y / \partial W_2$

The same structure one layer up: `(q, q * m)`, with $h^\top$ in each diagonal block.""",
        "dyhat_dW2(h, q)",
        "The (q, q*m) Jacobian of y_hat = W2 h with respect to W2 (row-major).",
    ),
    Section(
        "dz_dx",
        r"""## 8. $\partial z / \partial x$

A linear map's Jacobian is its matrix. Shape `(m, n)`.""",
        "dz_dx(W1)",
        "The (m, n) Jacobian of z = W1 x with respect to x.",
    ),
    Section(
        "dyhat_dh",
        r"""## 9. $\partial \hat y / \partial h$

Shape `(q, m)`.""",
        "dyhat_dh(W2)",
        "The (q, m) Jacobian of y_hat = W2 h with respect to h.",
    ),
    Section(
        "dE_dh",
        r"""## 10. Chaining: $\partial E / \partial h$

The chain rule multiplies Jacobians: $\dfrac{\partial E}{\partial h} = \dfrac{\partial E}{\partial \hat y}\,
\dfrac{\partial \hat y}{\partial h}$, a `(1, q)` row times a `(q, m)` matrix. Return it as a vector of shape
`(m,)`. Reuse your functions above.""",
        "dE_dh(x, y, W1, W2)",
        "Gradient of E with respect to h, shape (m,).",
    ),
    Section(
        "dE_dz",
        r"""## 11. $\partial E / \partial z$

One more factor: $\dfrac{\partial E}{\partial z} = \dfrac{\partial E}{\partial h}\,\dfrac{\partial h}{\partial z}$. Shape `(m,)`.""",
        "dE_dz(x, y, W1, W2)",
        "Gradient of E with respect to z, shape (m,).",
    ),
    Section(
        "dE_dx",
        r"""## 12. $\partial E / \partial x$

Shape `(n,)`.""",
        "dE_dx(x, y, W1, W2)",
        "Gradient of E with respect to x, shape (n,).",
    ),
    Section(
        "dE_dW2",
        r"""## 13. $\partial E / \partial W_2$

$\dfrac{\partial E}{\partial \hat y}\,\dfrac{\partial \hat y}{\partial W_2}$ is a row of length $q m$;
reshape it row by row into the `(q, m)` shape of $W_2$. (It is also an outer product: can you see which?)""",
        "dE_dW2(x, y, W1, W2)",
        "Gradient of E with respect to W2, shape (q, m).",
    ),
    Section(
        "dE_dW1",
        r"""## 14. $\partial E / \partial W_1$

$\dfrac{\partial E}{\partial \hat y}\,\dfrac{\partial \hat y}{\partial h}\,\dfrac{\partial h}{\partial z}\,
\dfrac{\partial z}{\partial W_1}$, reshaped to `(m, n)`.""",
        "dE_dW1(x, y, W1, W2)",
        "Gradient of E with respect to W1, shape (m, n).",
    ),
)

BACKPROP_WRITTEN = r"""## 15. Written (4 points, graded by hand)

1. Write the chain of Jacobians for $\partial E / \partial W_1$ and for $\partial E / \partial W_2$, with the
   shape of every factor.
2. Why does $\partial E / \partial W_1$ cost more to compute than $\partial E / \partial W_2$? Count the
   multiplications for both, once multiplying the explicit Jacobians as above, and once the
   *vector-Jacobian* way (multiplying the row vector $\partial E / \partial \hat y$ into each factor in turn)."""

DESCENT: tuple[Section, ...] = (
    Section(
        "grad_L",
        r"""## 1. The gradient

$\nabla L(w) = \left(\partial L / \partial w_1,\ \partial L / \partial w_2\right)$, shape `(2,)`.""",
        "grad_L(w, a, b)",
        "Gradient of L at w, shape (2,).",
    ),
    Section(
        "gd_step",
        r"""## 2. One GD step

$w - \eta\, \nabla L(w)$, shape `(2,)`.""",
        "gd_step(w, a, b, eta)",
        "The next GD iterate, shape (2,).",
    ),
    Section(
        "rho",
        r"""## 3. The contraction factors

Write one step coordinate by coordinate and read off $\rho_i$ in $w_i(t+1) = \rho_i\, w_i(t)$.
Return `(rho_1, rho_2)`, shape `(2,)`. The self-check compares them with one actual GD step from $w = (1, 1)$.""",
        "rho(a, b, eta)",
        "Contraction factors (rho_1, rho_2), shape (2,).",
    ),
    Section(
        "eta_range",
        r"""## 4. When does GD converge?

$w_i(t) = \rho_i^t\, w_i(0) \to 0$ from *every* start exactly when $|\rho_i| < 1$, for both coordinates.
Note $|\rho_i| < 1$ allows $-1 < \rho_i < 0$: the iterate flips sign every step and still shrinks.
Return `(low, high)` such that GD converges from every start if and only if `low < eta < high`. Shape `(2,)`.""",
        "eta_range(a, b)",
        "(low, high): GD converges from every start iff low < eta < high.",
    ),
    Section(
        "monotone_eta_range",
        r"""## 5. Converging without oscillation

Now ask for more: converge, and never change the sign of either coordinate, i.e. $0 < \rho_i < 1$.
Return the `(low, high)` of this stricter range. This is *not* the same range as above; a common mistake is to give
one where the other is asked.""",
        "monotone_eta_range(a, b)",
        "(low, high): no sign change and convergence iff low < eta < high.",
    ),
    Section(
        "best_eta",
        r"""## 6. The best step size

The slower coordinate decides the speed: the rate is $\max(|\rho_1|, |\rho_2|)$. Find the $\eta$ that
minimises it. Hint: at the optimum the two $|\rho_i|$ are equal, one $\rho$ positive and one negative.""",
        "best_eta(a, b)",
        "The eta minimising max(|rho_1|, |rho_2|), a float.",
    ),
    Section(
        "best_rate",
        r"""## 7. The best rate

The minimal value of $\max(|\rho_1|, |\rho_2|)$, as a float. Express it through $\kappa = \max(a,b)/\min(a,b)$
and look at what happens as $\kappa$ grows.""",
        "best_rate(a, b)",
        "The minimal max(|rho_1|, |rho_2|), a float.",
    ),
)

DESCENT_WRITTEN = r"""## 8. Written (4 points, graded by hand)

Using `best_rate`, explain why GD is slow when $a/b$ is large: roughly how many steps does it take to shrink the
error by a factor 10 when $a/b = 100$? What limits the step size, and which coordinate is left behind?"""

NOTEBOOKS = (
    Notebook("backprop", BACKPROP_INTRO, BACKPROP, BACKPROP_WRITTEN),
    Notebook("gradient_descent", DESCENT_INTRO, DESCENT, DESCENT_WRITTEN),
)
