"""The code tables the kiosk ships (pure data, no I/O).

* :mod:`.divisions` — GB/T 2260 Guangdong cities, counties and towns/streets;
* :mod:`.occupations` — 职业分类大典 (2022) major/middle categories;
* :mod:`.education` — GB/T 4658-2006 学历代码 and their groups;
* :mod:`.key_groups` — 重点群体 codes;
* :mod:`.errors` — :class:`CodeError` (root) and :class:`UnknownCodeError`.
"""

from kiosk.domain.codes.errors import CodeError, UnknownCodeError

__all__ = ["CodeError", "UnknownCodeError"]
