"""Checking an API answer against the OpenAPI schema drf-spectacular publishes, strictly.

Strict: OpenAPI 3.0's ``nullable`` becomes JSON Schema's null type, and an object may have no property the
schema does not describe, so the check fails on a field missing from the schema as well as on a wrong type.
"""

from __future__ import annotations

from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft7Validator


def strict(node):
    """OpenAPI 3.0 as JSON Schema: ``nullable`` as a null type, and no property beyond those described."""
    if isinstance(node, list):
        return [strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: strict(value) for key, value in node.items()}
    if "properties" in node:
        node.setdefault("additionalProperties", False)
    if node.pop("nullable", False):
        node = {"anyOf": [node, {"type": "null"}]}
    return node


def answer_errors(path: str, data, *, method: str = "get", status: str = "200") -> list[str]:
    """What in ``data`` (a JSON answer of ``method path``) the schema does not describe, one line each."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    answer = schema["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    validator = Draft7Validator({"components": strict(schema["components"]), "allOf": [strict(answer)]})
    return [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(data)]
