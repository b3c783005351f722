"""The stages, in run order: pull, audit, keywords, links, generate, review, push (with rollback), reoptimise.

Each is a package (or a single module) whose `run` is the whole stage: it reads the artefacts of the stages
before it from the workspace, writes its own, and records the run in state.db. A stage uses another stage only
through that stage's package, never its internals (tests/test_architecture.py).
"""
