"""Build the Debian binary package ``gd-employment-kiosk`` (run through ``scripts/build-deb``).

What goes where (Debian 12 layout; the control data is in ``packaging/debian/``):

* ``/opt/gd-employment-kiosk/`` the application: ``kiosk/`` (the Python package), ``config/``
  (``kiosk.toml`` defaults, examples), ``assets/`` (demo data, compiled English catalog, voice
  prompts), ``deploy/kiosk-session.sh``, and ``venv/``: a virtual environment of the Debian
  ``python3.11`` holding exactly the wheels pinned in ``packaging/requirements.lock`` (installed
  with ``--no-index`` from a local wheel folder, so a rebuild needs no network) plus a ``.pth``
  file that puts ``/opt/gd-employment-kiosk`` on ``sys.path`` (``kiosk.settings.PROJECT_ROOT``
  is the folder above the package, where ``config/`` and ``assets/`` are).
* ``/usr/bin/kiosk`` the command (``packaging/kiosk-command``).
* ``/lib/systemd/system/kiosk.service`` and ``/lib/udev/rules.d/99-gd-employment-kiosk.rules``
  from ``deploy/`` (the unit's ``@KIOSK_HOME@``/``@KIOSK_CONFIG@`` filled in).
* ``/etc/gd-employment-kiosk/site.toml`` the site file, a conffile.
* ``/usr/lib/systemd/journald.conf.d/60-gd-employment-kiosk.conf`` journal size and age.
* ``/usr/share/doc/gd-employment-kiosk/`` copyright, changelog, the deployment guide;
  ``/usr/share/man/man1/kiosk.1.gz``.

The package version is ``<[project].version of pyproject.toml>-<revision>``. Python byte code is
not shipped (lintian: package-installs-python-bytecode); ``postinst`` compiles it, ``prerm``
removes it. Exit status: 0 built (the last line printed is the .deb's path), 1 a step failed,
2 bad usage.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from email.utils import formatdate
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
LOCK = PACKAGING / "requirements.lock"
#: Built venvs, one per :func:`venv_key` (only the newest is kept).
VENV_CACHE = Path(os.environ.get("KIOSK_VENV_CACHE", ROOT / "build" / "deb-venv"))
PACKAGE = "gd-employment-kiosk"
APP_DIR = Path("/opt") / PACKAGE
CONF_DIR = Path("/etc") / PACKAGE
SITE_FILE = CONF_DIR / "site.toml"
DATA_DIR = Path("/var/lib") / PACKAGE
UNIT = "kiosk.service"
MAINTAINER = "Employment-station kiosk maintainers <maintainers@users.noreply.r-seed-406b0fe4.example>"
#: The runtime interpreter: the venv links to it, so it must be Debian's, not a build tool's.
DEFAULT_PYTHON = os.path.realpath("/usr/bin/python3")
#: Application folders copied into /opt/gd-employment-kiosk (generated assets included).
APP_TREES = ("kiosk", "config", "assets")
SKIP_NAMES = {"__pycache__", ".pytest_cache", ".mypy_cache"}
SKIP_SUFFIXES = (".pyc", ".pyo")
#: What stays in venv/bin: the interpreter links (the wheels' console scripts go).
KEEP_VENV_BIN = {"python", "python3", "python3.11"}
GLIBC_TAG = re.compile(r"manylinux_(\d+)_(\d+)_|manylinux(2014|2010|1)_")
LEGACY_GLIBC = {"2014": (2, 17), "2010": (2, 12), "1": (2, 5)}

# System packages (Debian 12 names) the kiosk needs at run time, with why.
DEPENDS = [
    "python3.11",                 # the venv's interpreter (/usr/bin/python3.11)
    "python3 (>= 3.11~)",         # scripts inside the wheels name python3
    "adduser",                    # postinst creates the kiosk system user
    "init-system-helpers (>= 1.52)",  # deb-systemd-helper / deb-systemd-invoke
    "xserver-xorg", "xinit",      # kiosk.service starts X on tty1 with xinit
    "x11-xserver-utils",          # xset (blanking/DPMS off) in kiosk-session.sh
    "x11-utils",                  # xdpyinfo: the display size for display.orientation=auto
    "libgl1", "libegl1", "libgles2", "libgl1-mesa-dri",  # Mesa OpenGL (llvmpipe without a GPU)
    "libsdl2-2.0-0",              # SDL runtime: the libraries the wheel's bundled SDL2 loads
    "libmtdev1",                  # Kivy's multitouch device library
    "libusb-1.0-0",               # pyusb backend for USB receipt printers
    "fontconfig", "fonts-noto-cjk",  # fc-match and Noto Sans CJK SC
    "espeak-ng",                  # Mandarin voice prompts (regenerated when their text changes)
    "libasound2",                 # sound output of the voice prompts (SDL2 mixer over ALSA)
    "libx11-6", "libxrender1", "zlib1g", "libstdc++6", "libgcc-s1",  # NEEDED by wheel objects
]


class BuildError(Exception):
    """A build step failed; the message says which and why."""


def project_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """``[project].version`` of pyproject.toml, e.g. "0.1.0".

    Raises:
        BuildError: missing, or not a Debian-compatible upstream version (must start with a digit).
    """
    with pyproject.open("rb") as fh:
        version = tomllib.load(fh).get("project", {}).get("version", "")
    if not re.fullmatch(r"[0-9][A-Za-z0-9.+~]*", str(version)):
        raise BuildError(f"pyproject.toml [project].version {version!r} is not usable as a Debian version")
    return str(version)


def debian_arch() -> str:
    """``dpkg --print-architecture`` (amd64, arm64): the venv holds native wheels, so the package
    is for the architecture it is built on."""
    return subprocess.run(["dpkg", "--print-architecture"], check=True, capture_output=True,
                          text=True).stdout.strip()


def locked_requirements(lock: Path = LOCK) -> list[str]:
    """The ``name==version`` lines of the lock file (comments and blanks dropped)."""
    lines = []
    for raw in lock.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def _run(cmd: list[str], what: str, **kwargs) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise BuildError(f"{what} failed (exit {result.returncode}):\n{tail}")
    return result


def pip_command() -> list[str]:
    """A pip of at least 22.3 (``--python``): the project's .venv one, else this interpreter's."""
    venv_python = ROOT / ".venv" / "bin" / "python"
    return [str(venv_python if venv_python.exists() else Path(sys.executable)), "-m", "pip"]


def _wheel_key(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def missing_wheels(wheels: Path) -> list[str]:
    """The locked ``name==version`` lines with no wheel file of that name and version in
    ``wheels`` (whether it suits this machine is left to pip)."""
    present = set()
    for wheel in wheels.glob("*.whl"):
        parts = wheel.name.split("-")
        if len(parts) >= 5:
            present.add((_wheel_key(parts[0]), parts[1]))
    missing = []
    for line in locked_requirements():
        name, _, version = line.partition("==")
        if (_wheel_key(name.split("[")[0]), version) not in present:
            missing.append(line)
    return missing


def fetch_wheels(wheels: Path, offline: bool) -> None:
    """Fill ``wheels`` with a wheel for every locked requirement (``--only-binary=:all:``: no
    source builds). When every pin has its file already nothing is fetched (a rebuild needs no
    network); offline, nothing is fetched either."""
    wheels.mkdir(parents=True, exist_ok=True)
    if offline or not missing_wheels(wheels):
        return
    _run(pip_command() + ["download", "-q", "--only-binary=:all:", "--dest", str(wheels),
                          "-r", str(LOCK)],
         "downloading the wheels (pip download)")


def venv_key(python: str, arch: str) -> str:
    """What the venv depends on: the lock, the interpreter and its version, the architecture,
    and this file (the venv's layout)."""
    version = _run([python, "-c", "import sys; print(sys.version)"], f"running {python}").stdout
    digest = hashlib.sha256()
    for part in (LOCK.read_bytes(), python.encode(), version.encode(), arch.encode(),
                 Path(__file__).read_bytes()):
        digest.update(part + b"\0")
    return digest.hexdigest()[:16]


def cached_venv(cache_root: Path, python: str, arch: str, wheels: Path, offline: bool) -> Path:
    """A relocated venv for ``APP_DIR/venv`` in ``cache_root/venv-<key>``, built once per
    :func:`venv_key` (a rebuild of the package with the same lock reuses it)."""
    cache = cache_root / f"venv-{venv_key(python, arch)}"
    if (cache / "pyvenv.cfg").exists():
        return cache
    for old in cache_root.glob("venv-*"):
        shutil.rmtree(old)
    partial = cache_root / "venv-partial"
    shutil.rmtree(partial, ignore_errors=True)
    fetch_wheels(wheels, offline)
    build_venv(partial, python, wheels)
    relocate_venv(partial, APP_DIR / "venv")
    partial.rename(cache)
    return cache


def link_or_copy(source: Path, target: Path) -> None:
    """Copy a folder tree as hard links (fast, no extra space), or plainly across file systems."""
    try:
        shutil.copytree(source, target, symlinks=True, copy_function=os.link)
    except (OSError, shutil.Error):
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, symlinks=True)


def build_venv(venv: Path, python: str, wheels: Path) -> None:
    """Create the venv at ``venv`` and install the locked wheels into it."""
    _run([python, "-m", "venv", "--without-pip", str(venv)], f"creating the venv with {python}")
    _run(pip_command() + ["--python", str(venv / "bin" / "python"), "install", "-q", "--no-index",
                          "--no-compile", "--no-warn-script-location", "--find-links", str(wheels),
                          "-r", str(LOCK)],
         "installing the wheels into the venv (run without --offline to fetch missing wheels)")


def relocate_venv(venv: Path, final: Path) -> str:
    """Point the staged venv at its installed place and trim it; returns its ``lib/`` folder
    name ("python3.11"). Console scripts of the wheels are dropped (their shebangs name the
    staging path; ``/usr/bin/kiosk`` runs ``python -I -m kiosk``); the ``.pth`` is written;
    files outside ``bin/`` become 0644."""
    for entry in (venv / "bin").iterdir():
        if entry.name not in KEEP_VENV_BIN:
            entry.unlink()
    cfg = venv / "pyvenv.cfg"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(str(venv), str(final)), encoding="utf-8")
    (pydir,) = [p.name for p in (venv / "lib").iterdir() if p.name.startswith("python")]
    site = venv / "lib" / pydir / "site-packages"
    (site / f"{PACKAGE.replace('-', '_')}.pth").write_text(f"{APP_DIR}\n", encoding="utf-8")
    for path in venv.rglob("*"):
        # Wheels install some data files and shared objects executable; only bin/ needs the bit.
        if path.is_file() and not path.is_symlink() and path.parent != venv / "bin":
            path.chmod(0o644)
    return pydir


def min_glibc(site: Path) -> tuple[int, int]:
    """The newest glibc any installed wheel needs: per wheel the oldest manylinux tag it has (a
    wheel tagged ``manylinux_2_17…manylinux_2_28`` runs on 2.17), the maximum over wheels."""
    need = (2, 17)
    for wheel_file in site.glob("*.dist-info/WHEEL"):
        versions = []
        for line in wheel_file.read_text(encoding="utf-8").splitlines():
            if not line.startswith("Tag:"):
                continue
            for match in GLIBC_TAG.finditer(line):
                if match.group(3):
                    versions.append(LEGACY_GLIBC[match.group(3)])
                else:
                    versions.append((int(match.group(1)), int(match.group(2))))
        if versions:
            need = max(need, min(versions))
    return need


def copy_tree(source: Path, target: Path) -> None:
    """Copy a folder of the repository without caches and byte code, files 0644, scripts 0755."""
    for dirpath, dirnames, filenames in os.walk(source):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_NAMES and not d.endswith(".egg-info"))
        rel = Path(dirpath).relative_to(source)
        (target / rel).mkdir(parents=True, exist_ok=True)
        for name in sorted(filenames):
            if name.endswith(SKIP_SUFFIXES):
                continue
            src = Path(dirpath) / name
            dst = target / rel / name
            shutil.copyfile(src, dst)
            dst.chmod(0o755 if os.access(src, os.X_OK) and _is_script(src) else 0o644)


def _is_script(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(2) == b"#!"


def build_assets(python: Path) -> None:
    """Compile the English catalog and the voice prompts in the repository (as scripts/setup.sh
    does; up-to-date files are kept) and check that they exist."""
    _run([str(python), "-m", "kiosk.services.build_assets"], "building assets (msgfmt, espeak-ng)",
         cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    if not list((ROOT / "assets" / "locale").glob("*/LC_MESSAGES/*.mo")):
        raise BuildError("assets/locale has no compiled .mo catalog (apt-get install gettext)")
    if not list((ROOT / "assets" / "sounds").glob("*/*.wav")):
        raise BuildError("assets/sounds has no voice prompts (apt-get install espeak-ng)")


def render_unit() -> str:
    text = (ROOT / "deploy" / "kiosk.service").read_text(encoding="utf-8")
    text = text.replace("@KIOSK_HOME@", str(APP_DIR)).replace("@KIOSK_CONFIG@", str(SITE_FILE))
    return text.replace("Installed by deploy/install.sh,\n# which replaces @KIOSK_HOME@ and @KIOSK_CONFIG@.",
                        f"Installed by the {PACKAGE} package.")


def changelog(version: str) -> bytes:
    """changelog.Debian.gz content: one entry for this version (gzip -9n, reproducible)."""
    date = formatdate(float(os.environ.get("SOURCE_DATE_EPOCH", time.time())), localtime=False)
    date = date.replace("-0000", "+0000")
    text = (f"{PACKAGE} ({version}) unstable; urgency=medium\n\n"
            "  * Built by scripts/build-deb (version from pyproject.toml).\n\n"
            f" -- {MAINTAINER}  {date}\n")
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def write(path: Path, content: str | bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    path.chmod(mode)


def control_file(version: str, arch: str, installed_kib: int, glibc: tuple[int, int]) -> str:
    template = (PACKAGING / "debian" / "control.in").read_text(encoding="utf-8")
    depends = [f"libc6 (>= {glibc[0]}.{glibc[1]})"] + DEPENDS
    return (template.replace("@VERSION@", version).replace("@ARCH@", arch)
            .replace("@INSTALLED_SIZE@", str(installed_kib)).replace("@MAINTAINER@", MAINTAINER)
            .replace("@DEPENDS@", ", ".join(depends)))


def md5sums(stage: Path) -> str:
    lines = []
    for path in sorted(stage.rglob("*")):
        if path.is_file() and not path.is_symlink() and "DEBIAN" not in path.relative_to(stage).parts:
            digest = hashlib.md5(path.read_bytes()).hexdigest()  # noqa: S324 - dpkg's format
            lines.append(f"{digest}  {path.relative_to(stage)}")
    return "\n".join(lines) + "\n"


def installed_size_kib(stage: Path) -> int:
    """Installed-Size as dpkg-gencontrol counts it: KiB per file rounded up, 1 per link/dir."""
    total = 0
    for path in stage.rglob("*"):
        if "DEBIAN" in path.relative_to(stage).parts:
            continue
        total += (path.lstat().st_size + 1023) // 1024 if path.is_file() and not path.is_symlink() else 1
    return total


def build(revision: str, out_dir: Path, wheels: Path, python: str, compression: str,
          offline: bool, work: Path, level: int | None = None) -> Path:
    """Build the package; returns the path of the .deb.

    Raises:
        BuildError: a tool is missing or a step failed.
    """
    for tool in ("dpkg-deb", python):
        if shutil.which(tool) is None:
            raise BuildError(f"{tool} not found (apt-get install dpkg python3-venv)")
    version = f"{project_version()}-{revision}"
    arch = debian_arch()
    stage = work / "root"
    if stage.exists():
        shutil.rmtree(stage)
    app = stage / APP_DIR.relative_to("/")
    venv = app / "venv"
    app.mkdir(parents=True)
    link_or_copy(cached_venv(VENV_CACHE, python, arch, wheels, offline), venv)
    (pydir,) = [p.name for p in (venv / "lib").iterdir() if p.name.startswith("python")]
    build_assets(venv / "bin" / "python")
    for tree in APP_TREES:
        copy_tree(ROOT / tree, app / tree)
    write(app / "deploy" / "kiosk-session.sh",
          (ROOT / "deploy" / "kiosk-session.sh").read_text(encoding="utf-8"), 0o755)
    write(stage / "usr/bin/kiosk", (PACKAGING / "kiosk-command").read_text(encoding="utf-8"), 0o755)
    write(stage / "lib/systemd/system" / UNIT, render_unit())
    write(stage / "lib/udev/rules.d/99-gd-employment-kiosk.rules",
          (ROOT / "deploy" / "99-kiosk.rules").read_text(encoding="utf-8"))
    write(stage / SITE_FILE.relative_to("/"), (PACKAGING / "site.toml").read_text(encoding="utf-8"))
    write(stage / "usr/lib/systemd/journald.conf.d/60-gd-employment-kiosk.conf",
          (PACKAGING / "journald.conf").read_text(encoding="utf-8"))
    doc = stage / "usr/share/doc" / PACKAGE
    write(doc / "copyright", (PACKAGING / "copyright").read_text(encoding="utf-8"))
    write(doc / "changelog.Debian.gz", changelog(version))
    write(doc / "README.md", (ROOT / "deploy" / "README.md").read_text(encoding="utf-8"))
    write(stage / "usr/share/man/man1/kiosk.1.gz",
          gzip.compress((PACKAGING / "kiosk.1").read_bytes(), compresslevel=9, mtime=0))
    write(stage / "usr/share/lintian/overrides" / PACKAGE,
          (PACKAGING / "lintian-overrides").read_text(encoding="utf-8"))
    for dirpath, _dirs, _files in os.walk(stage):
        Path(dirpath).chmod(0o755)
    control = stage / "DEBIAN"
    control.mkdir()
    control.chmod(0o755)
    glibc = min_glibc(venv / "lib" / pydir / "site-packages")
    write(control / "control", control_file(version, arch, installed_size_kib(stage), glibc))
    write(control / "conffiles", f"{SITE_FILE}\n")
    for script in ("preinst", "postinst", "prerm", "postrm"):
        write(control / script, (PACKAGING / "debian" / script).read_text(encoding="utf-8"), 0o755)
    write(control / "md5sums", md5sums(stage))
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{PACKAGE}_{version}_{arch}.deb"
    squeeze = [f"-Z{compression}"] + ([f"-z{level}"] if level is not None else [])
    _run(["dpkg-deb", "--root-owner-group", *squeeze, "--build", str(stage), str(deb)], "dpkg-deb --build")
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/build-deb",
        description="构建 Debian 安装包 / build the gd-employment-kiosk .deb (version from pyproject.toml)")
    parser.add_argument("--revision", default="1",
                        help="Debian revision: version <pyproject version>-REVISION (default 1)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder (default dist/)")
    parser.add_argument("--wheels", type=Path,
                        default=Path(os.environ.get("KIOSK_WHEEL_CACHE", ROOT / "build" / "deb" / "wheels")),
                        help="wheel folder, reused (default build/deb/wheels or $KIOSK_WHEEL_CACHE)")
    parser.add_argument("--python", default=DEFAULT_PYTHON,
                        help=f"runtime interpreter the venv is made from (default {DEFAULT_PYTHON})")
    parser.add_argument("--compression", choices=("xz", "gzip", "zstd", "none"), default="xz",
                        help="dpkg-deb compression (default xz: smallest; gzip: faster; not none: lintian)")
    parser.add_argument("--level", type=int, choices=range(0, 10), metavar="0-9",
                        help="compression level (dpkg-deb -z; default dpkg-deb's)")
    parser.add_argument("--offline", action="store_true", help="use only the wheels already in --wheels")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "deb",
                        help="staging folder (default build/deb)")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[0-9A-Za-z.+~]+", args.revision):
        parser.error(f"--revision {args.revision!r}: only digits, letters and . + ~")
    started = time.monotonic()
    try:
        deb = build(args.revision, args.out.resolve(), args.wheels.resolve(), args.python,
                    args.compression, args.offline, args.work.resolve(), args.level)
    except BuildError as exc:
        print(f"构建失败 build failed: {exc}", file=sys.stderr)
        return 1
    size_mib = deb.stat().st_size / 2**20
    print(f"built {deb.name}: {size_mib:.1f} MiB in {time.monotonic() - started:.1f} s", file=sys.stderr)
    print(deb)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
