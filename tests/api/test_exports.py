"""The public surface of tui.api is exactly what other layers rely on."""

from __future__ import annotations

import inspect

import tui.api
from tui.api import ContainersClient, errors, models


def test_package_exports_exactly() -> None:
    assert sorted(tui.api.__all__) == sorted(
        [
            "DEFAULT_API_URL",
            "EMULATOR_SECRET_KEY",
            "USER_AGENT",
            "ClientStats",
            "ContainersClient",
            "RetryPolicy",
            "errors",
            "models",
        ]
    )
    for name in tui.api.__all__:
        assert hasattr(tui.api, name)


def test_every_name_in_module_all_exists() -> None:
    for module in (errors, models):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"


def test_contract_models_and_errors_exist() -> None:
    for name in [
        "Namespace",
        "Container",
        "Cron",
        "Domain",
        "Token",
        "Log",
        "SecretInput",
        "SecretHashedValue",
        "ListLogsResponse",
        "ListNamespacesResponse",
        "TRANSIENT_STATUSES",
        "memory_to_cpu",
    ]:
        assert name in models.__all__
    tree = {
        "ApiError": "ScwError",
        "InvalidArgumentsError": "ApiError",
        "DeniedAuthenticationError": "ApiError",
        "PermissionsDeniedError": "ApiError",
        "QuotasExceededError": "ApiError",
        "NotFoundError": "ApiError",
        "TransientStateError": "ApiError",
        "AlreadyExistsError": "ApiError",
        "PreconditionFailedError": "ApiError",
        "ResourceLockedError": "ApiError",
        "TooManyRequestsError": "ApiError",
        "OutOfStockError": "ApiError",
        "ServerError": "ApiError",
        "TransportError": "ScwError",
        "ConnectionFailedError": "TransportError",
        "RequestTimeoutError": "TransportError",
        "InvalidResponseError": "ScwError",
    }
    for child, parent in tree.items():
        assert issubclass(getattr(errors, child), getattr(errors, parent)), child
    # The tree drawn in the module docstring names every class.
    for name in tree:
        assert name in (errors.__doc__ or "")


# Every endpoint of the API page, named as in scaleway.container.v1beta1.
SDK_METHODS = [
    "list_namespaces",
    "list_namespaces_all",
    "get_namespace",
    "create_namespace",
    "update_namespace",
    "delete_namespace",
    "list_containers",
    "list_containers_all",
    "get_container",
    "create_container",
    "update_container",
    "delete_container",
    "deploy_container",
    "list_logs",
    "list_logs_all",
    "list_crons",
    "list_crons_all",
    "get_cron",
    "create_cron",
    "update_cron",
    "delete_cron",
    "list_domains",
    "list_domains_all",
    "get_domain",
    "create_domain",
    "delete_domain",
    "list_tokens",
    "list_tokens_all",
    "get_token",
    "create_token",
    "delete_token",
    "issue_jwt",
    "wait_for_namespace",
    "wait_for_container",
    "wait_for_cron",
    "wait_for_domain",
    "wait_for_token",
]


def test_methods_named_as_the_sdk_and_keyword_only() -> None:
    from scaleway.container.v1beta1 import ContainerV1Beta1API

    for name in SDK_METHODS:
        ours = getattr(ContainersClient, name)
        sdk = getattr(ContainerV1Beta1API, name)
        ours_params = inspect.signature(ours).parameters
        sdk_params = inspect.signature(sdk).parameters
        for pname, param in ours_params.items():
            if pname == "self":
                continue
            if name.endswith("_all") and param.kind is inspect.Parameter.VAR_KEYWORD:
                continue
            assert param.kind is inspect.Parameter.KEYWORD_ONLY, (name, pname)
        if name.endswith("_all") or name.startswith("wait_for_"):
            continue
        # Every argument the SDK takes, we take too, under the same name.
        missing = set(sdk_params) - set(ours_params) - {"self", "options"}
        assert not missing, (name, missing)
    for name in [
        "iter_namespaces",
        "iter_containers",
        "iter_crons",
        "iter_domains",
        "iter_tokens",
        "iter_logs",
        "wait_for_status",
    ]:
        assert callable(getattr(ContainersClient, name))
