"""The text drawn on a PDF page, read without any PDF library, within hard limits.

Used by certificate verification (issue 14, item 9) to compare what a certificate shows with
the fields its code signs. It reads what Qt's PDF writer produces, and the plain PDFs that
most tools write: objects found by their `N G obj` headers, streams with no filter or
FlateDecode, fonts with a /ToUnicode map (or simple fonts with one-byte codes), and the text
operators Tj, TJ, ' and ". Anything else (encryption, object streams, other filters, text in
form XObjects, invisible text) raises PdfTextError: the caller then treats the PDF's text as
unreadable, which for a certificate means not valid. Failing closed is the point: a PDF whose
text cannot be read cannot be shown to match its signed fields.

Limits: the file is at most MAX_PDF_BYTES, each stream inflates to at most MAX_STREAM_BYTES
and all together to MAX_TOTAL_BYTES, and at most MAX_OPERATORS text-stream tokens are read.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from app.core.i18n import _

MAX_PDF_BYTES = 4 * 1024 * 1024
MAX_STREAM_BYTES = 4 * 1024 * 1024
MAX_TOTAL_BYTES = 16 * 1024 * 1024
MAX_OPERATORS = 200_000
MAX_TOKENS = 400_000  # every token read in the whole file, all objects together: bounds the time
MAX_DEPTH = 32
MAX_OBJECTS = 20_000  # a certificate has about 40
MAX_STRING = 64 * 1024  # one string in the PDF's syntax; a certificate's are a few dozen bytes

_OBJ = re.compile(rb"(?<![0-9])(\d{1,7})\s+(\d{1,5})\s+obj\b")
_DELIM = b"()<>[]{}/%"
_WS = b" \t\r\n\f\x00"
_WS_RUN = re.compile(rb"[ \t\r\n\f\x00]+")


class PdfTextError(Exception):
    """The PDF's text cannot be read within the limits; the message says why."""


class _OutOfBudget(PdfTextError):
    """Too much work: stop reading the file at once (never skipped like one bad object)."""


@dataclass(frozen=True, slots=True)
class Ref:
    num: int


class _Name(str):
    pass


class _Op(str):
    pass


class _Budget:
    def __init__(self, tokens: int = MAX_TOKENS) -> None:
        self.left = tokens

    def spend(self, n: int = 1) -> None:
        self.left -= n
        if self.left < 0:
            raise _OutOfBudget(_("the PDF is too complex to read"))


class _Lexer:
    def __init__(self, data: bytes, pos: int = 0, budget: _Budget | None = None) -> None:
        self.data = data
        self.pos = pos
        self.budget = budget or _Budget()

    def _skip(self) -> None:
        d = self.data
        start = self.pos
        try:
            self._skip_run(d)
        finally:
            self.budget.spend((self.pos - start) // 32)  # long runs cost too, however often re-read

    def _skip_run(self, d: bytes) -> None:
        while self.pos < len(d):
            run = _WS_RUN.match(d, self.pos)
            if run:
                self.pos = run.end()
                continue
            c = d[self.pos]
            if c in _WS:
                self.pos += 1
            elif c == 0x25:  # % comment
                end = d.find(b"\n", self.pos)
                self.pos = len(d) if end < 0 else end + 1
            else:
                return

    def token(self):
        """The next token: bytes for strings, _Name, _Op, int/float, or a structural marker str."""
        self.budget.spend()
        self._skip()
        d = self.data
        if self.pos >= len(d):
            return None
        c = d[self.pos : self.pos + 1]
        if c == b"(":
            return self._literal()
        if d.startswith(b"<<", self.pos):
            self.pos += 2
            return "<<"
        if d.startswith(b">>", self.pos):
            self.pos += 2
            return ">>"
        if c == b"<":
            end = d.find(b">", self.pos, self.pos + 2 * MAX_STRING)
            self.budget.spend(((min(len(d), self.pos + 2 * MAX_STRING) if end < 0 else end) - self.pos) // 32)
            if end < 0:
                raise PdfTextError(_("an unfinished hex string"))
            raw = re.sub(rb"\s", b"", d[self.pos + 1 : end])
            self.pos = end + 1
            if len(raw) % 2:
                raw += b"0"
            try:
                return bytes.fromhex(raw.decode("ascii"))
            except ValueError:
                raise PdfTextError(_("a malformed hex string")) from None
        if c in (b"[", b"]", b"{", b"}"):
            self.pos += 1
            return c.decode()
        if c == b"/":
            start = self.pos + 1
            self.pos = start
            while self.pos < len(d) and d[self.pos] not in _WS and d[self.pos] not in _DELIM:
                self.pos += 1
            return _Name(d[start : self.pos].decode("latin-1"))
        start = self.pos
        while self.pos < len(d) and d[self.pos] not in _WS and d[self.pos] not in _DELIM:
            self.pos += 1
        if self.pos == start:
            self.pos += 1
            raise PdfTextError(_("an unexpected character"))
        word = d[start : self.pos].decode("latin-1")
        try:
            return int(word)
        except ValueError:
            pass
        try:
            return float(word)
        except ValueError:
            return _Op(word)

    def _literal(self) -> bytes:
        start = self.pos
        try:
            return self._literal_run()
        finally:
            self.budget.spend((self.pos - start) // 32)

    def _literal_run(self) -> bytes:
        d = self.data
        self.pos += 1
        out = bytearray()
        depth = 1
        stop = min(len(d), self.pos + MAX_STRING)
        while self.pos < stop:
            c = d[self.pos]
            self.pos += 1
            if c == 0x5C:  # backslash
                if self.pos >= len(d):
                    break
                e = d[self.pos]
                self.pos += 1
                simple = {0x6E: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12, 0x28: 0x28, 0x29: 0x29, 0x5C: 0x5C}
                if e in simple:
                    out.append(simple[e])
                elif 0x30 <= e <= 0x37:
                    digits = bytes([e])
                    while len(digits) < 3 and self.pos < len(d) and 0x30 <= d[self.pos] <= 0x37:
                        digits += d[self.pos : self.pos + 1]
                        self.pos += 1
                    out.append(int(digits, 8) & 0xFF)
                elif e in (0x0A, 0x0D):
                    if e == 0x0D and self.pos < len(d) and d[self.pos] == 0x0A:
                        self.pos += 1
                else:
                    out.append(e)
            elif c == 0x28:
                depth += 1
                out.append(c)
            elif c == 0x29:
                depth -= 1
                if depth == 0:
                    return bytes(out)
                out.append(c)
            else:
                out.append(c)
        raise PdfTextError(_("an unfinished or over-long string"))

    def value(self, depth: int = 0):
        """One whole object: dicts, arrays and `N G R` references resolved into Python values."""
        if depth > MAX_DEPTH:
            raise PdfTextError(_("objects nested too deeply"))
        tok = self.token()
        if tok == "<<":
            out: dict = {}
            while True:
                key = self.token()
                if key == ">>":
                    return out
                if key is None:
                    raise PdfTextError(_("an unfinished dictionary"))
                if not isinstance(key, _Name):
                    raise PdfTextError(_("a malformed dictionary"))
                out[str(key)] = self.value(depth + 1)
        if tok == "[":
            items = []
            while True:
                save = self.pos
                tok2 = self.token()
                if tok2 == "]":
                    return items
                if tok2 is None:
                    raise PdfTextError(_("an unfinished array"))
                self.pos = save
                items.append(self.value(depth + 1))
        if isinstance(tok, int):
            save = self.pos
            second, third = self.token(), self.token()
            if isinstance(second, int) and third == "R":
                return Ref(tok)
            self.pos = save
        return tok


class _Document:
    def __init__(self, data: bytes) -> None:
        if len(data) > MAX_PDF_BYTES:
            raise PdfTextError(_("the file is larger than {size} MB").format(size=MAX_PDF_BYTES // (1024 * 1024)))
        if not data.startswith(b"%PDF"):
            raise PdfTextError(_("this is not a PDF file"))
        self.data = data
        self.offsets: dict[int, int] = {}
        for m in _OBJ.finditer(data):
            self.offsets[int(m.group(1))] = m.end()  # the last definition wins (incremental updates)
            if len(self.offsets) > MAX_OBJECTS:
                raise PdfTextError(_("the PDF has more than {n} objects").format(n=f"{MAX_OBJECTS:,}"))
        self.inflated = 0
        self.budget = _Budget()
        self._cache: dict[int, tuple] = {}
        if re.search(rb"/Encrypt\b", data):
            raise PdfTextError(_("the PDF is encrypted"))
        if re.search(rb"/Type\s*/ObjStm\b", data):
            raise PdfTextError(_("the PDF keeps its objects in compressed object streams"))

    def get(self, value):
        seen = 0
        while isinstance(value, Ref):
            value = self.obj(value.num)[0]
            seen += 1
            if seen > MAX_DEPTH:
                raise PdfTextError(_("references loop"))
        return value

    def obj(self, num: int) -> tuple:
        """(value, stream start offset or None)."""
        if num in self._cache:
            return self._cache[num]
        start = self.offsets.get(num)
        if start is None:
            raise PdfTextError(_("object {number} is missing").format(number=num))
        lexer = _Lexer(self.data, start, self.budget)
        value = lexer.value()
        stream_at = None
        save = lexer.pos
        if lexer.token() == _Op("stream"):
            pos = lexer.pos
            if self.data.startswith(b"\r\n", pos):
                pos += 2
            elif self.data.startswith(b"\n", pos) or self.data.startswith(b"\r", pos):
                pos += 1
            stream_at = pos
        else:
            lexer.pos = save
        self._cache[num] = (value, stream_at)
        return self._cache[num]

    def stream(self, ref) -> bytes:
        if not isinstance(ref, Ref):
            raise PdfTextError(_("a stream is not an indirect object"))
        info, start = self.obj(ref.num)
        if start is None or not isinstance(info, dict):
            raise PdfTextError(_("object {number} is not a stream").format(number=ref.num))
        length = self.get(info.get("Length"))
        if not isinstance(length, int) or length < 0 or start + length > len(self.data):
            raise PdfTextError(_("the stream of object {number} has a wrong length").format(number=ref.num))
        raw = self.data[start : start + length]
        filters = self.get(info.get("Filter"))
        filters = [filters] if isinstance(filters, str) else list(filters or [])
        for f in filters:
            if self.get(f) != "FlateDecode":
                raise PdfTextError(_("a stream uses the {name} filter").format(name=f))
            raw = self._inflate(raw)
        return raw

    def _inflate(self, raw: bytes) -> bytes:
        budget = min(MAX_STREAM_BYTES, MAX_TOTAL_BYTES - self.inflated)
        inflater = zlib.decompressobj()
        try:
            out = inflater.decompress(raw, budget + 1)
        except zlib.error:
            raise PdfTextError(_("a compressed stream is damaged")) from None
        if len(out) > budget or inflater.unconsumed_tail:
            raise PdfTextError(_("a compressed stream inflates beyond the limit"))
        self.inflated += len(out)
        return out


@dataclass
class _Font:
    two_bytes: bool
    to_unicode: dict[bytes, str]

    def decode(self, raw: bytes) -> str:
        if not self.to_unicode:
            return raw.decode("latin-1")
        step = 2 if self.two_bytes else 1
        out = []
        for i in range(0, len(raw) - step + 1, step):
            out.append(self.to_unicode.get(raw[i : i + step], "\ufffd"))
        return "".join(out)


def _cmap(data: bytes, budget: _Budget) -> dict[bytes, str]:
    out: dict[bytes, str] = {}

    def text(b: bytes) -> str:
        return b.decode("utf-16-be", "replace")

    for block in re.finditer(rb"beginbfchar(.*?)endbfchar", data, re.S):
        lexer = _Lexer(block.group(1), 0, budget)
        while True:
            src, dst = lexer.token(), lexer.token()
            if not isinstance(src, bytes) or not isinstance(dst, bytes):
                break
            out[src] = text(dst)
    for block in re.finditer(rb"beginbfrange(.*?)endbfrange", data, re.S):
        lexer = _Lexer(block.group(1), 0, budget)
        while True:
            lo, hi = lexer.token(), lexer.token()
            if not isinstance(lo, bytes) or not isinstance(hi, bytes):
                break
            dst = lexer.value()
            a, b = int.from_bytes(lo, "big"), int.from_bytes(hi, "big")
            if b < a or b - a > 65535 or len(out) > 200_000:
                raise PdfTextError(_("a font's character map is malformed"))
            budget.spend(b - a + 1)  # a character map of many wide ranges costs its size
            for i, code in enumerate(range(a, b + 1)):
                key = code.to_bytes(len(lo), "big")
                if isinstance(dst, list):
                    if i < len(dst) and isinstance(dst[i], bytes):
                        out[key] = text(dst[i])
                elif isinstance(dst, bytes) and dst:
                    base = int.from_bytes(dst, "big") + i
                    if base < 1 << (8 * len(dst)):
                        out[key] = text(base.to_bytes(len(dst), "big"))
    return out


def _fonts(doc: _Document, resources) -> dict[str, _Font]:
    fonts = {}
    table = doc.get(doc.get(resources or {}).get("Font")) if isinstance(doc.get(resources or {}), dict) else None
    for name, ref in (table or {}).items():
        font = doc.get(ref)
        if not isinstance(font, dict):
            continue
        two = doc.get(font.get("Subtype")) == "Type0"
        mapping = _cmap(doc.stream(font["ToUnicode"]), doc.budget) if "ToUnicode" in font else {}
        if two and not mapping:
            raise PdfTextError(_("the font {name} has no character map, so its text cannot be read").format(name=name))
        fonts[name] = _Font(two, mapping)
    return fonts


def _contents(doc: _Document, page: dict) -> bytes:
    contents = page.get("Contents")
    refs = contents if isinstance(contents, list) else [contents]
    return b"\n".join(doc.stream(r) for r in refs if r is not None)


def _pages(doc: _Document) -> list[dict]:
    pages = []
    for num in sorted(doc.offsets):
        try:
            value = doc.obj(num)[0]
        except _OutOfBudget:
            raise
        except PdfTextError:
            continue
        if isinstance(value, dict) and value.get("Type") == "Page":
            pages.append(value)
    return pages


def page_text(data: bytes) -> list[str]:
    """The text runs drawn on the PDF's single page, in drawing order. Raises PdfTextError."""
    doc = _Document(data)
    pages = _pages(doc)
    if len(pages) != 1:
        raise PdfTextError(_("a certificate has one page; this PDF has {n}").format(n=len(pages)))
    page = pages[0]
    fonts = _fonts(doc, page.get("Resources"))
    lexer = _Lexer(_contents(doc, page), 0, doc.budget)
    runs: list[str] = []
    current: list[str] = []
    operands: list = []
    font: _Font | None = None
    count = 0
    while True:
        count += 1
        if count > MAX_OPERATORS:
            raise PdfTextError(_("the page has too many drawing operations"))
        save = lexer.pos
        tok = lexer.token()
        if tok is None:
            break
        if tok in ("[", "<<"):
            lexer.pos = save
            operands.append(lexer.value())
            continue
        if not isinstance(tok, _Op):
            operands.append(tok)
            continue
        op = str(tok)
        if op == "BI":  # an inline image: skip its data
            end = lexer.data.find(b"EI", lexer.pos)
            lexer.pos = len(lexer.data) if end < 0 else end + 2
        elif op == "Tf" and operands and isinstance(operands[0], _Name):
            font = fonts.get(str(operands[0]))
            if font is None:
                raise PdfTextError(_("the page uses a font ({name}) it does not define").format(name=operands[0]))
        elif op == "Tr" and operands and operands[-1] not in (0, 1, 2):
            raise PdfTextError(_("the page holds invisible or clipping-only text"))
        elif op in ("Tj", "'", '"', "TJ"):
            if font is None:
                raise PdfTextError(_("text is drawn before a font is chosen"))
            arg = operands[-1] if operands else None
            if op == "TJ" and isinstance(arg, list):
                for item in arg:
                    if isinstance(item, bytes):
                        current.append(font.decode(item))
                    elif isinstance(item, (int, float)) and item < -200:
                        current.append(" ")  # a wide gap: a space drawn by moving
            elif isinstance(arg, bytes):
                current.append(font.decode(arg))
        elif op in ("ET", "Td", "TD", "Tm", "T*") and current:
            runs.append("".join(current))
            current = []
        elif op == "Do":
            name = str(operands[-1]) if operands else ""
            resources = doc.get(page.get("Resources")) or {}
            xobjects = doc.get(resources.get("XObject")) if isinstance(resources, dict) else None
            target = doc.get((xobjects or {}).get(name))
            if isinstance(target, dict) and target.get("Subtype") == "Form":
                raise PdfTextError(_("the page draws a form object, whose text is not read"))
        operands = []
    if current:
        runs.append("".join(current))
    return [r for r in runs if r.strip()]
