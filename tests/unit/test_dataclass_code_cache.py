"""The dataclass code cache (kiosk/dataclass_code_cache.py, issue 23: start-up): classes made
with the cache behave exactly as without it, every source the start path generates is found,
and a missing, foreign or damaged file — or a CRC-32 collision — only means compiling."""

from __future__ import annotations

import dataclasses
import json
import marshal
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from kiosk import dataclass_code_cache as cache

REPO = Path(__file__).resolve().parents[2]


def define_classes() -> tuple[type, type]:
    """A frozen and a mutable dataclass with defaults, a factory and a non-init field."""

    @dataclasses.dataclass(frozen=True)
    class Vacancy:
        vacancy_id: str
        title: str = "普工"
        tags: tuple[str, ...] = ()

    @dataclasses.dataclass
    class Draft:
        name: str
        skills: list[str] = dataclasses.field(default_factory=list)
        seen: int = dataclasses.field(default=0, init=False)

    return Vacancy, Draft


def recorded_sources() -> list[str]:
    seen: list[str] = []

    def recording(source, globals=None, locals=None):  # noqa: A002
        seen.append(source)
        exec(source, globals, locals)

    dataclasses.exec = recording
    try:
        define_classes()
    finally:
        del dataclasses.exec
    return seen


@pytest.fixture(autouse=True)
def no_cache_left():
    cache.release()
    yield
    cache.release()
    assert "exec" not in vars(dataclasses)


def behaviour(vacancy_cls: type, draft_cls: type) -> dict:
    v = vacancy_cls("V1", tags=("日结",))
    d = draft_cls("张三")
    d.skills.append("电工")
    frozen_error = ""
    try:
        v.title = "x"
    except dataclasses.FrozenInstanceError as exc:
        frozen_error = type(exc).__name__
    return {"repr": repr(v), "draft": repr(d), "eq": v == vacancy_cls("V1", tags=("日结",)),
            "ne": v != vacancy_cls("V2"), "hash": hash(v) == hash(vacancy_cls("V1", tags=("日结",))),
            "frozen": frozen_error, "fresh_list": draft_cls("李四").skills,
            "init_names": list(draft_cls.__init__.__code__.co_varnames[:2]),
            "qualname": vacancy_cls.__init__.__qualname__.rsplit(".", 1)[-1]}


def test_classes_made_from_the_cache_behave_as_compiled_ones(tmp_path):
    plain = behaviour(*define_classes())
    sources = recorded_sources()
    assert len(sources) == 9    # frozen: 6 methods; mutable: __init__, __repr__, __eq__
    path = tmp_path / "dc.bin"
    assert cache.write_cache(path, sources + sources) == 9      # duplicates stored once
    assert cache.install(path) is True
    assert vars(dataclasses)["exec"] is cache._cached_exec
    cached = behaviour(*define_classes())
    assert cache.stats() == (9, 0)
    assert cached == plain
    assert plain["repr"] == ("define_classes.<locals>.Vacancy(vacancy_id='V1', title='普工', "
                             "tags=('日结',))")
    assert plain["frozen"] == "FrozenInstanceError" and plain["fresh_list"] == []
    assert cache.release() == (9, 0)
    assert "exec" not in vars(dataclasses)
    assert behaviour(*define_classes()) == plain               # released: compiled again


def test_a_source_not_in_the_cache_is_compiled(tmp_path):
    path = tmp_path / "dc.bin"
    cache.write_cache(path, recorded_sources()[:3])
    assert cache.install(path)
    vacancy_cls, _draft = define_classes()
    assert vacancy_cls("V9").title == "普工"
    assert cache.stats() == (3, 6)


def test_a_crc_collision_runs_the_compiler_not_the_stored_code(tmp_path):
    sources = recorded_sources()
    path = tmp_path / "dc.bin"
    cache.write_cache(path, sources)
    mapped, index = cache.read_index(path)
    mapped.close()
    # Point the first source's key at the entry of another source: a collision in effect.
    first, second = (zlib.crc32(s.encode()) for s in sources[:2])
    index[first] = tuple(list(index[second]))   # a tuple of its own (marshal would share one)
    body = path.read_bytes()
    kind, magic, length = cache.HEADER.unpack_from(body, 0)
    encoded = marshal.dumps(index)
    assert len(encoded) == length
    path.write_bytes(cache.HEADER.pack(kind, magic, length) + encoded
                     + body[cache.HEADER.size + length:])
    assert cache.install(path)
    vacancy_cls, draft_cls = define_classes()
    assert cache.stats() == (8, 1)
    assert "Vacancy(vacancy_id='V1'" in behaviour(vacancy_cls, draft_cls)["repr"]


@pytest.mark.parametrize("content", [b"", b"KDC1", b"XXXX" + b"\0" * 40,
                                     b"KDC1\0\0\0\0" + b"\x08\0\0\0" + b"\xff" * 8],
                         ids=["empty", "short", "other layout", "other python"])
def test_a_foreign_or_damaged_file_is_ignored(tmp_path, content):
    path = tmp_path / "dc.bin"
    path.write_bytes(content)
    assert cache.install(path) is False
    assert "exec" not in vars(dataclasses)
    assert define_classes()[0]("V1").title == "普工"


def test_a_damaged_index_of_this_python_is_ignored(tmp_path):
    path = tmp_path / "dc.bin"
    path.write_bytes(cache.HEADER.pack(cache.FORMAT, cache._magic(), 4) + b"\xff\xff\xff\xff")
    assert cache.install(path) is False
    assert cache.install(tmp_path / "missing.bin") is False


# `python -m kiosk.dataclass_code_cache` as setup.sh and the Debian postinst run it, then a
# fresh interpreter starting as `kiosk run` does (kiosk.cli installs the cache before the
# settings) and building the services: every generated source is found.
START = r'''
import json, os, sys
from pathlib import Path
os.environ["KIVY_NO_ARGS"] = "1"
os.environ["KIVY_NO_CONSOLELOG"] = "1"
from kiosk import dataclass_code_cache
assert dataclass_code_cache.install(Path(sys.argv[2]))
import kiosk.cli.run
from kiosk.bootstrap import build_services
from kiosk.settings import load_settings
services = build_services(load_settings(None, environ={}), data_root=Path(sys.argv[1]),
                          devices=False, platform=False)
import kiosk.screens.home
services.journeys.load()
print(json.dumps(dataclass_code_cache.release()))
'''


def test_the_built_cache_covers_the_start_path(tmp_path):
    target = tmp_path / "dataclass-code.bin"
    built = subprocess.run([sys.executable, "-m", "kiosk.dataclass_code_cache", "--output",
                            str(target)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("dataclass code cache: ")
    assert "not imported" not in built.stdout
    # Every module recorded, though kiosk.cli (imported by the walk) installs the cache: ~1,340
    assert int(built.stdout.split()[3]) > 1000
    done = subprocess.run([sys.executable, "-c", START, str(tmp_path), str(target)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    hits, misses = json.loads(done.stdout.strip().splitlines()[-1])
    assert hits > 300 and misses == 0
    # the domain modules the journeys import, e.g. the interest inventory
    check = subprocess.run([sys.executable, "-c", "import json, sys; from pathlib import Path;"
                            "from kiosk import dataclass_code_cache as c;"
                            "assert c.install(Path(sys.argv[1]));"
                            "import kiosk.domain.interests, kiosk.devices.idcard.frames;"
                            "print(json.dumps(c.release()))", str(target)],
                           cwd=REPO, capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr[-2000:]
    hits, misses = json.loads(check.stdout.strip().splitlines()[-1])
    assert hits > 40 and misses == 0


def test_an_unwritable_target_is_one_line_and_exit_1(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = subprocess.run([sys.executable, "-m", "kiosk.dataclass_code_cache", "--output",
                           str(blocker / "sub" / "dc.bin")], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith("数据类代码缓存写入失败") and len(done.stderr.splitlines()) == 1
