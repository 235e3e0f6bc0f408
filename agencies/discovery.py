"""Finding each installed app's optional module (`staff`, `demo`), so a domain app plugs
into the staff site and the demo without editing config. (The REST API is the `api` app.)"""
from importlib import import_module
from types import ModuleType
from typing import Iterator

from django.apps import AppConfig, apps


def app_modules(submodule: str) -> Iterator[tuple[AppConfig, ModuleType]]:
    """(app config, module) for every installed app that has `<app>.<submodule>`, in
    INSTALLED_APPS order. An import error inside such a module is raised, not hidden."""
    for config in apps.get_app_configs():
        name = f"{config.name}.{submodule}"
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        yield config, module
