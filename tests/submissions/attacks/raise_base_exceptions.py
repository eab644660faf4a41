"""Attack: raise KeyboardInterrupt, SystemExit, GeneratorExit and a custom BaseException.
affects: eta_range monotone_eta_range loss gd_step
"""
class Escape(BaseException):
    pass


def eta_range(a, b):
    raise KeyboardInterrupt()


def monotone_eta_range(a, b):
    raise SystemExit(0)


def loss(y_hat, y):
    raise GeneratorExit()


def gd_step(w, a, b, eta):
    raise Escape()
