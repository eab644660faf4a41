"""The textbook exp(z) / (1 + exp(z)): NaN (inf/inf) once z > 709.
affects: sigmoid
"""
def sigmoid(z):
    return np.exp(z) / (1 + np.exp(z))
