"""The production deployment description: docker-compose.yml, Dockerfile and .env.example.

No Docker engine runs here, so these read the files; when docker-compose (or `docker compose`)
is installed, the compose file is also validated by the tool itself.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"
SETTINGS = ROOT / "baotou_carbon" / "settings.py"

SERVICES = {"postgres", "redis", "web", "worker", "beat"}
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def env_example() -> dict[str, str]:
    pairs = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def command_text(service: dict) -> str:
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


def healthcheck_text(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(test)


def test_it_describes_the_five_services(compose):
    assert set(compose["services"]) == SERVICES
    assert compose["services"]["postgres"]["image"].startswith("postgres:15")
    assert compose["services"]["redis"]["image"].startswith("redis:7")


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_it_gives_every_service_a_health_check(compose, name):
    healthcheck = compose["services"][name]["healthcheck"]
    assert healthcheck["test"]
    assert not healthcheck.get("disable", False)


@pytest.mark.parametrize(
    ("name", "probe"),
    [
        ("postgres", "pg_isready"),
        ("redis", "redis-cli ping"),
        ("web", "http://localhost:8000/"),
        ("worker", "celery -A baotou_carbon inspect ping"),
    ],
)
def test_it_probes_each_service_with_its_own_tool(compose, name, probe):
    assert probe in healthcheck_text(compose["services"][name])


def test_it_runs_the_celery_worker_and_beat(compose):
    assert command_text(compose["services"]["worker"]) == "celery -A baotou_carbon worker -l info"
    assert command_text(compose["services"]["beat"]) == (
        "celery -A baotou_carbon beat -l info "
        "--scheduler django_celery_beat.schedulers:DatabaseScheduler"
    )


def test_it_migrates_and_collects_static_before_starting_gunicorn(compose):
    command = command_text(compose["services"]["web"])
    migrate = command.index("manage.py migrate")
    collect = command.index("manage.py collectstatic")
    gunicorn = command.index("gunicorn baotou_carbon.wsgi")
    assert migrate < collect < gunicorn


def test_it_starts_web_only_on_healthy_postgres_and_redis(compose):
    assert compose["services"]["web"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_it_starts_celery_only_on_a_migrated_healthy_stack(compose, name):
    depends_on = compose["services"][name]["depends_on"]
    assert set(depends_on) == {"postgres", "redis", "web"}
    assert {dep["condition"] for dep in depends_on.values()} == {"service_healthy"}


@pytest.mark.parametrize("name", APP_SERVICES)
def test_it_configures_the_app_services_from_the_env_file(compose, name):
    service = compose["services"][name]
    env_file = service["env_file"]
    assert env_file == ".env" or env_file == [".env"]
    assert "media:/app/media" in service["volumes"]
    assert service.get("user", "app") not in {"root", "0", "0:0"}


def test_it_keeps_database_and_uploads_in_volumes(compose):
    assert {"postgres-data", "media"} <= set(compose["volumes"])
    assert "postgres-data:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]


def test_it_documents_every_setting_read_from_the_environment():
    read = set(re.findall(r"\benv\.\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", SETTINGS.read_text()))
    assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"} <= read  # the regex works
    assert read <= set(env_example())


def test_it_comments_every_variable_in_the_env_example():
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if line.strip() and not line.startswith("#"):
            assert lines[number - 1].startswith("# "), f"{line} has no comment above it"


def test_it_ships_no_usable_secret():
    values = env_example()
    assert values["SECRET_KEY"].startswith("change-me")
    assert values["DEBUG"] == "false"
    assert "change-me" in values["POSTGRES_PASSWORD"]
    assert values["POSTGRES_PASSWORD"] in values["DATABASE_URL"]


def test_it_allows_localhost_for_the_web_health_check():
    assert "localhost" in env_example()["ALLOWED_HOSTS"].split(",")


def test_it_builds_a_lean_image_that_runs_as_a_non_root_user():
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.MULTILINE)
    assert "pip install --no-cache-dir -r requirements.lock" in dockerfile
    assert "--no-install-recommends fonts-noto-cjk" in dockerfile
    assert "rm -rf /var/lib/apt/lists/*" in dockerfile
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert {".env", ".git", ".venv"} <= set(ignored)


def compose_tool() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run(  # noqa: S603 - fixed arguments
            [docker, "compose", "version"], capture_output=True, check=False
        )
        if probe.returncode == 0:
            return [docker, "compose"]
    return None


def test_it_passes_docker_compose_config_validation(tmp_path):
    tool = compose_tool()
    if tool is None:
        pytest.skip("neither docker-compose nor `docker compose` is installed")
    # A project directory of its own, with .env.example as its .env (env_file and
    # ${...} interpolation both read it), so a developer's real .env plays no part.
    shutil.copy(COMPOSE, tmp_path / "docker-compose.yml")
    shutil.copy(ENV_EXAMPLE, tmp_path / ".env")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [*tool, "-f", str(tmp_path / "docker-compose.yml"), "config", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
