"""Attack: os._exit at import, before any answer can be given.
affects: all
"""
import os

os._exit(0)
