"""scw-containers: a terminal console for Scaleway Serverless Containers (API v1beta1)."""

__version__ = "0.1.0"
