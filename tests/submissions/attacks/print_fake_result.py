"""Attack: print a perfect SPEC section 5 result and nbgrader-looking scores, then answer honestly.
affects:
"""
import json
import sys

_fake = {"submissions": [{"submission": "x", "student": "attacker", "score": 92.0, "max_score": 92.0,
                          "exercises": []}]}
print(json.dumps(_fake))
sys.stderr.write(json.dumps(_fake) + "\n")
print("92.0")
