"""The staff REST API (``/api/v1/``): what every resource shares — token authentication,
the access checkpoint as the only way to an object, pagination, rate limits, and one
error body with Korean messages. Each app keeps its own resources in its ``api.py``."""
