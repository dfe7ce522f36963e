"""deploy/Dockerfile, read as the image it builds. No container builder runs
here (the Docker client is installed, no daemon), so the image itself is not
built in CI; what can go wrong silently is checked instead: the runtime stage
installs a package for every shared library the binary loads (directly or as
a dependency of one it names, or as part of debian:12-slim), it runs as a
user other than root, it has a HEALTHCHECK, and it ships no secret."""
import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "deploy/Dockerfile").read_text()
BINARY = os.environ.get("HPOPS_BINARY", str(ROOT / "build/hpops"))


def stages():
    """Each stage's text, by its FROM line, in order."""
    parts = re.split(r"^(?=FROM )", DOCKERFILE, flags=re.M)
    return [p for p in parts if p.startswith("FROM ")]


def installed_by(stage):
    joined = stage.replace("\\\n", " ")
    packages = set()
    for command in re.findall(r"apt-get install ([^&\n]*)", joined):
        packages |= {w for w in command.split() if not w.startswith("-")}
    return packages


def with_dependencies(packages):
    """The packages and everything apt installs with them (Depends and Pre-Depends)."""
    out = subprocess.run(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts",
                          "--no-breaks", "--no-replaces", "--no-enhances", *sorted(packages)],
                         capture_output=True, text=True, check=True).stdout
    return {line.strip().split(":")[0] for line in out.splitlines() if line and not line.startswith(" ")
            and not line.startswith("<")}


def slim_base():
    """What debian:12-slim has: the essential and required packages, and apt with its dependencies."""
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Essential} ${Priority}\n"],
                         capture_output=True, text=True, check=True).stdout
    base = {line.split()[0] for line in out.splitlines() if " yes " in line or line.endswith(" required")}
    return with_dependencies(base | {"apt"})


def package_of(library):
    for path in (library, "/usr" + library, os.path.realpath(library)):
        found = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
        if found.returncode == 0:
            return found.stdout.split(":")[0]
    raise AssertionError(f"no Debian package owns {library}")


def test_the_runtime_stage_installs_every_library_the_binary_loads():
    libraries = re.findall(r"=> (/\S+)", subprocess.run(["ldd", BINARY], capture_output=True, text=True,
                                                         check=True).stdout)
    assert libraries, "ldd named no libraries"
    runtime = stages()[-1]
    provided = with_dependencies(installed_by(runtime)) | slim_base()
    missing = sorted({package_of(lib) for lib in libraries} - provided)
    assert missing == [], f"the runtime stage of deploy/Dockerfile lacks {missing}"


def test_the_runtime_stage_has_the_zone_database_schedules_read():
    assert "tzdata" in installed_by(stages()[-1]), "digest schedules name IANA zones: tzdata"


def test_the_build_stage_has_every_build_package_the_bootstrap_installs():
    bootstrap = (ROOT / "scripts/bootstrap.sh").read_text()
    listed = re.search(r"apt_packages=\(\n(.*?)\n\)", bootstrap, re.S).group(1)
    wanted = {p for p in listed.split() if p.endswith("-dev")} - {"libgtest-dev", "libgmock-dev"}
    assert wanted <= installed_by(stages()[0]), sorted(wanted - installed_by(stages()[0]))


def test_it_runs_as_a_user_with_a_healthcheck_and_no_secret():
    runtime = stages()[-1]
    users = re.findall(r"^USER (\S+)", runtime, re.M)
    assert users and users[-1] not in {"root", "0"}, users
    assert re.search(r"^HEALTHCHECK .*?/healthz", runtime, re.M | re.S), "no HEALTHCHECK on /healthz"
    copied = re.findall(r"^COPY (?:--from=\S+ )?(\S+)", runtime, re.M)
    assert set(copied) <= {"/src/build/hpops", "deploy/examples/production.yaml"}, copied
    production = (ROOT / "deploy/examples/production.yaml").read_text()
    for key in ("signing_secret", "bot_token", "secret"):
        for value in re.findall(rf"^\s*{key}:\s*(.+)$", production, re.M):
            assert value.strip().startswith("${"), f"{key} in production.yaml is a literal, not from the environment"
