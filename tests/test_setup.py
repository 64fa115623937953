"""Setting up and starting Medvirk: the ./medvirk launcher, the console script, the settings."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = REPO_ROOT / "medvirk"
SH = shutil.which("sh") or "/bin/sh"


def _console_script() -> list[str]:
    script = Path(sys.executable).parent / "medvirk"
    return [str(script)] if script.exists() else [sys.executable, "-m", "medvirk.cli"]


def _clean_env(**overrides: str) -> dict[str, str]:
    """The environment without anything that picks settings, database, cache or secrets."""
    drop = {
        "DJANGO_SETTINGS_MODULE",
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "MEDVIRK_TEST_IDENTITY_PROVIDER",
        "TASKS_BACKEND",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "MEDVIRK_IDENTITY_PEPPER",
    }
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env.update(overrides)
    return env


def _run(
    args: list[str], env: dict[str, str], cwd: Path = REPO_ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# --- the console script -----------------------------------------------------------------


def test_console_script_help() -> None:
    done = _run([*_console_script(), "--help"], _clean_env())
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: medvirk COMMAND")
    for command in ["demo", "serve", "manage"]:
        assert f"\n  {command} " in done.stdout


def test_console_script_unknown_command_exits_2() -> None:
    done = _run([*_console_script(), "nonsense"], _clean_env())
    assert done.returncode == 2
    assert "unknown command 'nonsense'" in done.stderr
    assert "usage: medvirk" in done.stderr
    assert done.stdout == ""


# --- settings ---------------------------------------------------------------------------

PRODUCTION = "medvirk.settings.production"
A_SECRET = "x7-not-a-real-secret-but-long-enough-for-the-check-0123456789abcdef"
A_PEPPER = "p3-another-made-up-secret-for-hashing-identity-numbers-0123456789"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "Set SECRET_KEY in the environment for production."),
        (
            {
                "SECRET_KEY": A_SECRET,
                "MEDVIRK_IDENTITY_PEPPER": A_PEPPER,
                "MEDVIRK_TEST_IDENTITY_PROVIDER": "true",
            },
            "production refuses it",
        ),
        ({"SECRET_KEY": A_SECRET}, "MEDVIRK_IDENTITY_PEPPER"),
    ],
    ids=["missing-secret-key", "test-identity-provider", "missing-identity-pepper"],
)
def test_production_refuses_unsafe_settings(env: dict[str, str], message: str) -> None:
    done = _run(
        [*_console_script(), "manage", "check"],
        _clean_env(DJANGO_SETTINGS_MODULE=PRODUCTION, ALLOWED_HOSTS="medvirk.example.no", **env),
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert message in done.stderr


def test_production_starts_with_its_secrets_set() -> None:
    done = _run(
        [*_console_script(), "manage", "check"],
        _clean_env(
            DJANGO_SETTINGS_MODULE=PRODUCTION,
            SECRET_KEY=A_SECRET,
            MEDVIRK_IDENTITY_PEPPER=A_PEPPER,
            MEDVIRK_AUDIT_KEY="k9-a-third-made-up-secret-that-signs-the-audit-log-0123456789",
            MEDVIRK_SINGLE_PROCESS="true",  # no REDIS_URL here (issue 15)
            ALLOWED_HOSTS="medvirk.example.no",
        ),
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


SHOW_CACHE = (
    "import django; django.setup(); "
    "from django.conf import settings; from django.core.cache import cache; "
    "cache.set('medvirk-probe', 'ok'); "
    "print(settings.CACHES['default']['BACKEND']); print(settings.SESSION_ENGINE); "
    "print(cache.get('medvirk-probe')); print(settings.TASKS['default']['BACKEND'])"
)


def test_embedded_default_needs_no_redis(tmp_path: Path) -> None:
    done = _run(
        [sys.executable, "-c", SHOW_CACHE],
        _clean_env(DJANGO_SETTINGS_MODULE="medvirk.settings.dev", MEDVIRK_HOME=str(tmp_path)),
    )
    assert done.returncode == 0, done.stderr
    backend, sessions, probe, tasks = done.stdout.split()
    assert backend == "django.core.cache.backends.locmem.LocMemCache"
    assert sessions == "django.contrib.sessions.backends.db"
    assert probe == "ok"
    assert tasks == "django_tasks.backends.immediate.ImmediateBackend"


def test_redis_url_switches_to_redis_cache(tmp_path: Path) -> None:
    show = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])"
    )
    done = _run(
        [sys.executable, "-c", show],
        _clean_env(
            DJANGO_SETTINGS_MODULE="medvirk.settings.dev",
            MEDVIRK_HOME=str(tmp_path),
            REDIS_URL="redis://127.0.0.1:6379/3",
        ),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/3",
    ]


# --- the ./medvirk launcher -------------------------------------------------------------


def _executable(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


@pytest.fixture
def launcher_copy(tmp_path: Path) -> Path:
    """The launcher alone in an empty 'repository', so nothing real is found or installed."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy2(LAUNCHER, root / "medvirk")
    return root


def _bin_with(tmp_path: Path, tools: list[str]) -> Path:
    """A PATH folder with only the named system tools (and whatever the test adds)."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    for tool in tools:
        found = shutil.which(tool)
        assert found, f"{tool} is needed for this test"
        (folder / tool).symlink_to(found)
    return folder


def test_launcher_is_posix_sh_and_executable() -> None:
    assert LAUNCHER.read_text().startswith("#!/bin/sh\n")
    assert os.access(LAUNCHER, os.X_OK)
    done = _run([SH, "-n", str(LAUNCHER)], _clean_env())
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["demo", "--no-serve"], ["run", "medvirk", "demo", "--no-serve"]),
        (["test", "-k", "two words"], ["run", "pytest", "-k", "two words"]),
        (["manage", "migrate"], ["run", "medvirk", "manage", "migrate"]),
        ([], ["run", "medvirk"]),
    ],
)
def test_launcher_hands_over_to_uv_run(
    tmp_path: Path, launcher_copy: Path, args: list[str], expected: list[str]
) -> None:
    folder = _bin_with(tmp_path, ["dirname", "python3"])
    _executable(folder / "uv", '#!/bin/sh\necho "cwd=$(pwd)"\nfor a in "$@"; do echo "$a"; done\n')
    done = _run(
        [SH, str(launcher_copy / "medvirk"), *args],
        _clean_env(PATH=str(folder), HOME=str(tmp_path / "home")),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    cwd, *handed_over = done.stdout.splitlines()
    # uv runs in the repository root whatever folder the launcher was started from,
    # and the arguments pass through unsplit ("two words" stays one argument).
    assert cwd == f"cwd={launcher_copy}"
    assert handed_over == expected


def test_launcher_finds_uv_in_user_bin_when_not_on_path(
    tmp_path: Path, launcher_copy: Path
) -> None:
    folder = _bin_with(tmp_path, ["dirname", "python3"])
    home = tmp_path / "home"
    (home / ".local" / "bin").mkdir(parents=True)
    _executable(home / ".local" / "bin" / "uv", '#!/bin/sh\necho "user uv $*"\n')
    done = _run(
        [SH, str(launcher_copy / "medvirk"), "test"],
        _clean_env(PATH=str(folder), HOME=str(home)),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "user uv run pytest"


def test_launcher_explains_a_too_old_python(tmp_path: Path, launcher_copy: Path) -> None:
    folder = _bin_with(tmp_path, ["dirname"])
    _executable(
        folder / "python3",
        '#!/bin/sh\ncase "$1" in --version) echo "Python 3.10.12";; *) exit 1;; esac\n',
    )
    done = _run(
        [SH, str(launcher_copy / "medvirk"), "demo"],
        _clean_env(PATH=str(folder), HOME=str(tmp_path / "home")),
    )
    assert done.returncode == 1
    assert "Medvirk needs Python 3.11 or newer (found: Python 3.10.12)" in done.stderr
    assert done.stdout == ""
