"""The chapters' experiments, one module per chapter, shared by the notebooks and the claim tests.

Each function takes its budget (samples, epochs, seeds) as arguments, so a notebook runs it at the
full-book or quick budget and ``tests/claims`` runs it at a small budget and checks the direction
the chapter states.
"""
