"""The REST API (FastAPI; OpenAPI at /docs)."""

from promiseplan.api.app import create_app

__all__ = ["create_app"]
