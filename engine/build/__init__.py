"""The build stage: one deterministic zip per function (`builder.build_all`).

`layout` says which files make an artifact, `zipper` writes it, `bytecode` compiles it for the
runtime's Python (found by `interpreters`), `vendor` adds pinned requirements and `artifact`
describes the result.
"""
