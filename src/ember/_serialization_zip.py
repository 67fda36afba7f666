"""The zip container of PyTorch checkpoints (``torch.save``'s default layout), written and read without ``zipfile``.

A checkpoint is an uncompressed zip archive whose records all sit in one folder (the file's stem, or
``archive`` for a file object)::

    <name>/data.pkl                 the pickle of the saved object; storages are persistent ids
    <name>/.format_version          b"1"
    <name>/.storage_alignment       b"64"
    <name>/byteorder                b"little" (the byte order of the storages' bytes)
    <name>/data/<key>               each storage's raw bytes, starting on a 64-byte boundary of the file
    <name>/version                  b"3\\n"
    <name>/.data/serialization_id   40 decimal digits

The writer lays records out as PyTorch's writer (miniz) does: each local header has crc and sizes zero (flag
bit 3), an extra field ``FB`` padded with ``Z`` so the data starts on a 64-byte boundary (after a zip64 extra
field when the record or its offset passes 4 GiB), the data, then a data descriptor (16 bytes, or 24 in zip64).
The central directory is followed by a zip64 end record, its locator and the classic end record. Data is written
in chunks straight from the arrays, so saving needs no copy of the tensors.

The reader parses the end record and central directory, checks every offset and size against the file before
using it, and gives each record's data offset (so storages can be read straight into arrays, or memory mapped).
Damage raises ``RuntimeError`` with PyTorch's wording ("PytorchStreamReader failed reading zip archive: ...").
Only stored (uncompressed) records are read, so no record can inflate past the file's size; the CRC of the
data is not checked (PyTorch does not check it either).
"""

from __future__ import annotations

import struct
import zlib
from typing import IO

__all__ = ["ZipReader", "ZipWriter", "ZIP_MAGIC", "ALIGNMENT"]

ZIP_MAGIC = b"PK\x03\x04"
ALIGNMENT = 64
_MAX32 = 0xFFFFFFFF  # the 32-bit field value that means "see the zip64 extra field"
_ZIP64_AT = _MAX32   # sizes and offsets from here on go in zip64 fields (a module global so tests can lower it)
_MAX16 = 0xFFFF
_CHUNK = 1 << 22

_LOCAL = struct.Struct("<IHHHHHIIIHH")              # 30 bytes
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")       # 46 bytes
_END = struct.Struct("<IHHHHIIH")                    # 22 bytes
_END64 = struct.Struct("<IQHHIIQQQQ")                # 56 bytes
_LOCATOR = struct.Struct("<IIQI")                    # 20 bytes
_SIG_LOCAL, _SIG_CENTRAL, _SIG_END = 0x04034B50, 0x02014B50, 0x06054B50
_SIG_END64, _SIG_LOCATOR, _SIG_DESCRIPTOR = 0x06064B50, 0x07064B50, 0x08074B50
_FLAGS = 0x0808  # bit 3: sizes in a data descriptor; bit 11: UTF-8 names

_CORRUPT = (". This is an internal miniz error. If you are seeing this error, there is a high likelihood that your "
            "checkpoint file is corrupted. This can happen if the checkpoint was not saved properly, was "
            "transferred incorrectly, or the file was modified after saving.")


def zip_error(what: str) -> RuntimeError:
    """PyTorch's error for a damaged archive: ``PytorchStreamReader failed reading zip archive: <what>...``."""
    return RuntimeError(f"PytorchStreamReader failed reading zip archive: {what}{_CORRUPT}")


def missing_record(name: str) -> RuntimeError:
    return RuntimeError(f"PytorchStreamReader failed locating file {name}: file not found{_CORRUPT}")


# ----- writing -----

class ZipWriter:
    """Writes records one after another to a binary stream (which need not be seekable)."""

    def __init__(self, f: IO[bytes], archive: str) -> None:
        self.f = f
        self.prefix = archive + "/"
        self.pos = 0
        self.central: list[bytes] = []

    def _put(self, b) -> None:
        self.f.write(b)
        self.pos += len(b) if isinstance(b, bytes) else memoryview(b).nbytes

    def write_record(self, name: str, data, size: int | None = None) -> None:
        """Write one record; ``data`` is bytes or an iterable of buffers whose lengths add up to ``size``."""
        if isinstance(data, (bytes, bytearray)):
            data, size = (data,), len(data)
        fname = (self.prefix + name).encode("utf-8")
        offset = self.pos
        big = size >= _ZIP64_AT or offset >= _ZIP64_AT
        local_extra = b""
        if big:
            payload = (struct.pack("<QQ", size, size) if size >= _ZIP64_AT else b"") + (
                struct.pack("<Q", offset) if offset >= _ZIP64_AT else b"")
            local_extra = struct.pack("<HH", 1, len(payload)) + payload
        start = offset + _LOCAL.size + len(fname) + len(local_extra) + 4
        pad = -start % ALIGNMENT
        local_extra += b"FB" + struct.pack("<H", pad) + b"Z" * pad
        version = 45 if big else 20
        self._put(_LOCAL.pack(_SIG_LOCAL, version, _FLAGS, 0, 0, 0, 0, 0, 0, len(fname), len(local_extra))
                  + fname + local_extra)
        crc, written = 0, 0
        for chunk in data:
            mv = memoryview(chunk).cast("B")
            crc = zlib.crc32(mv, crc)
            written += mv.nbytes
            self._put(mv)
        if written != size:
            raise RuntimeError(f"ember.save: record {name} has {written} bytes, {size} were announced")
        if big:
            self._put(struct.pack("<IIQQ", _SIG_DESCRIPTOR, crc, size, size))
        else:
            self._put(struct.pack("<IIII", _SIG_DESCRIPTOR, crc, size, size))
        extra = b""
        if size >= _ZIP64_AT:
            extra += struct.pack("<QQ", size, size)
        if offset >= _ZIP64_AT:
            extra += struct.pack("<Q", offset)
        if extra:
            extra = struct.pack("<HH", 1, len(extra)) + extra
        s32 = _MAX32 if size >= _ZIP64_AT else size
        o32 = _MAX32 if offset >= _ZIP64_AT else offset
        self.central.append(_CENTRAL.pack(_SIG_CENTRAL, version, version, _FLAGS, 0, 0, 0, crc, s32, s32,
                                          len(fname), len(extra), 0, 0, 0, 0, o32) + fname + extra)

    def finish(self) -> None:
        """Write the central directory and the end records."""
        cd_offset = self.pos
        for entry in self.central:
            self._put(entry)
        cd_size, n = self.pos - cd_offset, len(self.central)
        end64 = self.pos
        self._put(_END64.pack(_SIG_END64, _END64.size - 12, 45, 45, 0, 0, n, n, cd_size, cd_offset))
        self._put(_LOCATOR.pack(_SIG_LOCATOR, 0, end64, 1))
        self._put(_END.pack(_SIG_END, 0, 0, min(n, _MAX16), min(n, _MAX16), min(cd_size, _MAX32),
                            min(cd_offset, _MAX32), 0))


# ----- reading -----

class Record:
    __slots__ = ("name", "raw_name", "method", "csize", "size", "header_offset", "_data_offset")

    def __init__(self, name, raw_name, method, csize, size, header_offset):
        self.name, self.raw_name, self.method, self.csize, self.size = name, raw_name, method, csize, size
        self.header_offset, self._data_offset = header_offset, None


class ZipReader:
    """The records of an archive in a seekable binary stream, found by name (``data.pkl``, ``data/0``, ...)."""

    def __init__(self, f: IO[bytes]) -> None:
        self.f = f
        self.start = f.tell()
        f.seek(0, 2)
        self.size = f.tell() - self.start
        if self.size < _END.size:
            raise zip_error("not a ZIP archive")
        self.records: dict[str, Record] = {}
        self._read_directory()
        first = next(iter(self.records), "")
        if "/" not in first:
            raise RuntimeError(f"file in archive is not in a subdirectory: {first}")
        self.prefix = first[:first.index("/") + 1]

    def _read_at(self, offset: int, n: int) -> bytes:
        if offset < 0 or n < 0 or offset + n > self.size:
            raise zip_error("invalid header or archive is corrupted")
        self.f.seek(self.start + offset)
        b = self.f.read(n)
        if len(b) != n:
            raise zip_error("file read failed")
        return b

    def _read_directory(self) -> None:
        tail_len = min(self.size, _END.size + _MAX16)
        tail = self._read_at(self.size - tail_len, tail_len)
        i = tail.rfind(b"PK\x05\x06")
        while i >= 0 and i + _END.size > len(tail):
            i = tail.rfind(b"PK\x05\x06", 0, i)
        if i < 0:
            raise zip_error("failed finding central directory")
        end_pos = self.size - tail_len + i
        _, disk, cd_disk, n_here, n, cd_size, cd_offset, _ = _END.unpack_from(tail, i)
        locator = end_pos - _LOCATOR.size
        if locator >= 0 and self._read_at(locator, 4) == b"PK\x06\x07":
            _, _, end64, _ = _LOCATOR.unpack(self._read_at(locator, _LOCATOR.size))
            if end64 + _END64.size > locator:
                raise zip_error("invalid header or archive is corrupted")
            sig, _, _, _, disk, cd_disk, n_here, n, cd_size, cd_offset = _END64.unpack(
                self._read_at(end64, _END64.size))
            if sig != _SIG_END64:
                raise zip_error("invalid header or archive is corrupted")
            limit = end64
        else:
            limit = end_pos
        if disk != 0 or cd_disk != 0 or n_here != n:
            raise zip_error("unsupported multidisk archive")
        if cd_offset + cd_size > limit or n * _CENTRAL.size > cd_size:
            raise zip_error("invalid header or archive is corrupted")
        cd = self._read_at(cd_offset, cd_size)
        pos = 0
        for _ in range(n):
            if pos + _CENTRAL.size > len(cd):
                raise zip_error("invalid header or archive is corrupted")
            (sig, _, _, flags, method, _, _, _, csize, size, nlen, xlen, clen, _, _, _,
             offset) = _CENTRAL.unpack_from(cd, pos)
            pos += _CENTRAL.size
            if sig != _SIG_CENTRAL or pos + nlen + xlen + clen > len(cd):
                raise zip_error("invalid header or archive is corrupted")
            raw_name = cd[pos:pos + nlen]
            extra = cd[pos + nlen:pos + nlen + xlen]
            pos += nlen + xlen + clen
            if _MAX32 in (csize, size, offset):
                size, csize, offset = self._zip64(extra, size, csize, offset)
            if flags & 1:
                raise zip_error("unsupported encryption")
            if method != 0:  # torch.save never compresses; a compressed record could inflate without bound
                raise zip_error("unsupported method (ember reads uncompressed records, as torch.save writes them)")
            try:
                name = raw_name.decode("utf-8" if flags & 0x800 else "cp437")
            except UnicodeDecodeError:
                raise zip_error("invalid filename") from None
            if name in self.records:
                raise zip_error("duplicate filename")
            if offset + _LOCAL.size + csize > cd_offset or csize != size:
                raise zip_error("invalid header or archive is corrupted")
            self.records[name] = Record(name, raw_name, method, csize, size, offset)

    @staticmethod
    def _zip64(extra: bytes, size: int, csize: int, offset: int) -> tuple[int, int, int]:
        pos = 0
        while pos + 4 <= len(extra):
            tag, n = struct.unpack_from("<HH", extra, pos)
            body = extra[pos + 4:pos + 4 + n]
            pos += 4 + n
            if tag != 1:
                continue
            fields = [v for v in (size, csize, offset) if v == _MAX32]
            if len(body) < 8 * len(fields):
                break
            values = list(struct.unpack_from(f"<{len(fields)}Q", body))
            if size == _MAX32:
                size = values.pop(0)
            if csize == _MAX32:
                csize = values.pop(0)
            if offset == _MAX32:
                offset = values.pop(0)
            return size, csize, offset
        raise zip_error("invalid header or archive is corrupted")

    # -- records --
    def has_record(self, name: str) -> bool:
        return self.prefix + name in self.records

    def record(self, name: str) -> Record:
        try:
            return self.records[self.prefix + name]
        except KeyError:
            raise missing_record(name) from None

    def data_offset(self, rec: Record) -> int:
        """Where the record's bytes start, relative to the archive (checked against the local header)."""
        if rec._data_offset is None:
            head = self._read_at(rec.header_offset, _LOCAL.size)
            sig, *_, nlen, xlen = _LOCAL.unpack(head)
            if sig != _SIG_LOCAL:
                raise zip_error("invalid header or archive is corrupted")
            if self._read_at(rec.header_offset + _LOCAL.size, nlen) != rec.raw_name:
                raise zip_error("invalid header or archive is corrupted")
            start = rec.header_offset + _LOCAL.size + nlen + xlen
            if start + rec.csize > self.size:
                raise zip_error("invalid header or archive is corrupted")
            rec._data_offset = start
        return rec._data_offset

    def read(self, name: str) -> bytes:
        """A whole (small) record as bytes."""
        rec = self.record(name)
        buf = bytearray(rec.size)
        self.read_into(rec, memoryview(buf))
        return bytes(buf)

    def read_into(self, rec: Record, out: memoryview) -> None:
        """Fill ``out`` (exactly ``rec.size`` bytes) with the record's data, in bounded chunks."""
        start = self.data_offset(rec)
        if out.nbytes != rec.size:
            raise zip_error("invalid header or archive is corrupted")
        self.f.seek(self.start + start)
        done, readinto = 0, getattr(self.f, "readinto", None)
        while done < rec.size:
            if readinto is not None:
                n = readinto(out[done:done + _CHUNK])
            else:  # a file object with read() only
                chunk = self.f.read(min(_CHUNK, rec.size - done))
                n = len(chunk)
                out[done:done + n] = chunk
            if not n:
                raise zip_error("file read failed")
            done += n
