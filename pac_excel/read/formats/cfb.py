"""cfb: a small, bounded reader of OLE compound files (the container of .xls and of encrypted Office files).

Only what the reader layer needs: the names of the directory entries (to tell an .xls from a
password-protected .xlsx and to notice macros) and the bytes of one stream (the .xls
``Workbook`` stream, scanned before calamine sees it). Every chain walk is bounded, so a
crafted file fails with ``CfbError`` instead of looping or allocating without limit.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FREE = 0xFFFFFFFF
END_OF_CHAIN = 0xFFFFFFFE
SPECIAL = 0xFFFFFFFA  # values from here up are markers, never sector numbers
HEADER_DIFAT = 109
ENTRY_SIZE = 128
STREAM = 2
ROOT = 5


class CfbError(Exception):
    """The compound file is damaged or inconsistent."""


@dataclass(frozen=True)
class Entry:
    """One directory entry: a storage, a stream or the root."""

    name: str
    kind: int
    start: int
    size: int


class CompoundFile:
    """A parsed compound file held in memory (callers cap the file size first)."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(MAGIC):
            raise CfbError("no es un archivo compuesto OLE")
        self.data = data
        sector_shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if sector_shift not in (9, 12) or mini_shift != 6:
            raise CfbError("tamaño de sector no válido")
        self.sector_size = 1 << sector_shift
        self.mini_size = 1 << mini_shift
        fields = struct.unpack_from("<IIIIIIII", data, 0x2C)
        n_fat, first_dir, _txn, self.mini_cutoff, first_minifat, n_minifat, first_difat, n_difat = (
            fields
        )
        # Sectors after the header; a short last one still counts (some writers cut it).
        self.n_sectors = max(0, -(-(len(data) - self.sector_size) // self.sector_size))
        self.fat = self._read_fat(n_fat, first_difat, n_difat)
        self.entries = self._read_directory(first_dir)
        root = self.entries[0] if self.entries else None
        if root is None or root.kind != ROOT:
            raise CfbError("falta la entrada raíz")
        self._root = root
        self._first_minifat = first_minifat
        self._n_minifat = n_minifat
        self._minifat: list[int] | None = None
        self._ministream: bytes | None = None

    # Sectors and chains ------------------------------------------------------------------

    def _sector(self, index: int) -> bytes:
        if index >= self.n_sectors:
            raise CfbError("sector fuera del archivo")
        offset = (index + 1) * self.sector_size
        block = self.data[offset : offset + self.sector_size]
        if len(block) < self.sector_size:
            # A short last sector is common in files cut by some writers; pad it.
            block = block.ljust(self.sector_size, b"\0")
        return block

    def _read_fat(self, n_fat: int, first_difat: int, n_difat: int) -> list[int]:
        per_sector = self.sector_size // 4
        if n_fat > self.n_sectors or n_difat > self.n_sectors:
            raise CfbError("tabla de asignación demasiado grande")
        locations = list(struct.unpack_from(f"<{HEADER_DIFAT}I", self.data, 0x4C))
        sector, seen = first_difat, 0
        while sector < SPECIAL and seen <= n_difat:
            values = struct.unpack(f"<{per_sector}I", self._sector(sector))
            locations.extend(values[:-1])
            sector = values[-1]
            seen += 1
        fat_sectors = [s for s in locations if s < SPECIAL][:n_fat]
        fat: list[int] = []
        for s in fat_sectors:
            fat.extend(struct.unpack(f"<{per_sector}I", self._sector(s)))
        return fat

    def _chain(self, start: int, table: list[int], limit: int) -> list[int]:
        chain: list[int] = []
        seen: set[int] = set()
        sector = start
        while sector < SPECIAL:
            if sector in seen or sector >= len(table) or len(chain) > limit:
                raise CfbError("cadena de sectores dañada")
            seen.add(sector)
            chain.append(sector)
            sector = table[sector]
        return chain

    def _read_directory(self, first_dir: int) -> list[Entry]:
        chain = self._chain(first_dir, self.fat, self.n_sectors)
        raw = b"".join(self._sector(s) for s in chain)
        entries = []
        for offset in range(0, len(raw) - ENTRY_SIZE + 1, ENTRY_SIZE):
            name_len, kind = struct.unpack_from("<HB", raw, offset + 0x40)
            start, size = struct.unpack_from("<IQ", raw, offset + 0x74)
            name_len = min(max(name_len - 2, 0), 62)
            name = raw[offset : offset + name_len].decode("utf-16-le", "replace")
            if self.sector_size == 512:
                size &= 0xFFFFFFFF  # version 3 files leave the high half undefined
            entries.append(Entry(name, kind, start, size))
        return entries

    # Streams -----------------------------------------------------------------------------

    def names(self) -> set[str]:
        """Names of every stream and storage, lower-cased."""
        return {e.name.lower() for e in self.entries if e.kind in (1, STREAM)}

    def find(self, *names: str) -> Entry | None:
        """The first stream called one of ``names`` (case-insensitive), in the order given."""
        wanted = [n.lower() for n in names]
        for name in wanted:
            for entry in self.entries:
                if entry.kind == STREAM and entry.name.lower() == name:
                    return entry
        return None

    def read(self, entry: Entry, max_bytes: int) -> bytes:
        """A stream's bytes; raises CfbError if it claims more than ``max_bytes`` or the file holds."""
        if entry.size > max_bytes or entry.size > len(self.data):
            raise CfbError("flujo demasiado grande")
        if entry.size < self.mini_cutoff:
            return self._read_mini(entry)
        chain = self._chain(entry.start, self.fat, self.n_sectors)
        data = b"".join(self._sector(s) for s in chain)
        if len(data) < entry.size:
            raise CfbError("flujo incompleto")
        return data[: entry.size]

    def _read_mini(self, entry: Entry) -> bytes:
        if self._ministream is None:
            root_chain = self._chain(self._root.start, self.fat, self.n_sectors)
            self._ministream = b"".join(self._sector(s) for s in root_chain)[: self._root.size]
            per_sector = self.sector_size // 4
            minifat: list[int] = []
            for s in self._chain(self._first_minifat, self.fat, self.n_sectors):
                minifat.extend(struct.unpack(f"<{per_sector}I", self._sector(s)))
            self._minifat = minifat
        assert self._minifat is not None
        limit = len(self._ministream) // self.mini_size + 1
        chain = self._chain(entry.start, self._minifat, limit)
        parts = [self._ministream[s * self.mini_size : (s + 1) * self.mini_size] for s in chain]
        data = b"".join(parts)
        if len(data) < entry.size:
            raise CfbError("flujo incompleto")
        return data[: entry.size]
