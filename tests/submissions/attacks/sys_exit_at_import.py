"""Attack: sys.exit at import (after the definitions): a notebook kernel would carry on.
affects:
"""
import sys

sys.exit(0)
