"""Imported once by the math pool's forkserver, never by the service itself.

Importing it warms the LaTeX parser (its first parse of each construct costs up to 100 ms), so
every worker forked afterwards, replacements included, starts warm. The side effect at import
is the whole point of this module.
"""

from verifier_service.math.worker import warm_up

warm_up()
