"""The catalog: function.yaml and cases.yaml read, validated and turned into plain data.

`types` is the one type vocabulary, `model` the frozen dataclasses, `yamlsrc` YAML with
positions, `schema` the JSON Schemas, `loader` discovery and validation (`load_catalog`),
`cases` the test cases, `compare` result comparison, `geometry` GeoJSON/WKT parsing and
`gitdiff` the functions changed in git. Nothing here imports user code or another stage.
"""
