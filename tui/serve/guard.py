"""Who may use the server: the token, the token file, and the Host and Origin checks.

Plain functions on strings, with no web framework in sight, so the rules read (and test) on
their own. The server applies them to every request before anything else happens.
"""

from __future__ import annotations

import errno
import hmac
import ipaddress
import os
import re
import secrets
import socket
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

TOKEN_BYTES = 32  # 256 bits: far past the 128 a guessing attack would need to beat
MIN_TOKEN_CHARS = 22  # 22 URL-safe base64 characters carry 132 bits
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]+")
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"0.0.0.0", "::", ""})


class TokenFileError(Exception):
    """The token file cannot be used; the message says why and what to do."""


class TokenPathError(TokenFileError):
    """`--token-file` names something that cannot be a token file (a directory, a path in a
    missing directory, a file that cannot be read): a usage error, not bad data."""


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def tokens_match(given: str | None, token: str) -> bool:
    """Constant-time, so response times tell nothing about how much of a guess was right."""
    if not given:
        return False
    # compare_digest refuses non-ASCII str; bytes take any query value a client can send.
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), token.encode("ascii"))


def token_from_file(path: Path) -> str:
    """The token kept in `path`, made (mode 0600) on the first run so links outlive restarts."""
    try:
        return _read_token(path)
    except FileNotFoundError:
        pass
    token = new_token()
    try:
        # O_EXCL: never write through a file (or symlink) someone else put there meanwhile.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        return _read_token(path)
    except OSError as error:
        raise TokenPathError(_cannot_create(path, error)) from None
    with os.fdopen(fd, "w", encoding="ascii") as out:
        os.fchmod(fd, 0o600)  # a umask cannot loosen it, but an odd one could tighten it to 0
        out.write(token + "\n")
    return token


def _read_token(path: Path) -> str:
    try:
        # O_NONBLOCK: a FIFO would otherwise hold the server at start-up until someone wrote.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError:
        raise  # the caller makes the file
    except OSError as error:
        raise TokenPathError(_cannot_read(path, error)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise TokenPathError(
                f"{path} is a directory; give --token-file a file's name, such as {path / 'token'}"
            )
        if not stat.S_ISREG(info.st_mode):
            raise TokenPathError(f"{path} is not a regular file")
        if info.st_mode & 0o077:
            raise TokenFileError(
                f"{path} can be read by other users; run `chmod 600 {path}` "
                "or delete it to get a new token"
            )
        data = os.read(fd, 4096)
    except OSError as error:
        raise TokenPathError(_cannot_read(path, error)) from None
    finally:
        os.close(fd)
    text = data.decode("ascii", "replace").strip()
    if len(text) < MIN_TOKEN_CHARS or not _TOKEN_SHAPE.fullmatch(text):
        raise TokenFileError(
            f"{path} does not hold a usable token (at least {MIN_TOKEN_CHARS} characters "
            "of A-Z a-z 0-9 _ -); delete it to get a new one"
        )
    return text


def _cannot_read(path: Path, error: OSError) -> str:
    if error.errno == errno.ELOOP:  # O_NOFOLLOW: a link could lead anywhere
        return f"{path} is a symbolic link; give --token-file the file itself"
    return f"cannot read {path}: {error.strerror or error}"


def _cannot_create(path: Path, error: OSError) -> str:
    parent = path.parent
    if error.errno in {errno.ENOENT, errno.ENOTDIR} and not parent.is_dir():
        return f"cannot create {path}: there is no directory {parent}"
    return f"cannot create {path}: {error.strerror or error}"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class HostPolicy:
    """The host names the server answers to, against DNS rebinding.

    A page on a name its attacker controls, resolved to this machine, sends that name in
    `Host`; refusing unknown names closes the hole. IP literals are safe on the LAN because a
    rebinding needs a name. Any port is accepted: `ssh -L 9000:localhost:8000` changes it.
    """

    names: frozenset[str]
    any_ip: bool

    @classmethod
    def for_bind(cls, host: str, *, lan: bool) -> HostPolicy:
        names = set(LOOPBACK_NAMES)
        bound = host.strip("[]").lower()
        if bound not in WILDCARDS:
            names.add(bound)
        if lan:
            machine = socket.gethostname().lower()
            short = machine.split(".")[0]
            names |= {machine, short, f"{short}.local", socket.getfqdn().lower()}
        return cls(frozenset(names), any_ip=lan)

    def allows_host(self, header: str | None) -> bool:
        name = _host_name(header)
        if name is None:
            return False
        if name in self.names:
            return True
        if self.any_ip:
            try:
                ipaddress.ip_address(name)
            except ValueError:
                return False
            return True
        return False

    def allows_origin(self, origin: str | None, host_header: str | None) -> bool:
        """A websocket may come only from our own page: same host and port as it asked for."""
        if not origin or not host_header or not self.allows_host(host_header):
            return False
        try:
            parts = urlsplit(origin)
        except ValueError:
            return False
        if parts.scheme not in {"http", "https"} or parts.path not in {"", "/"}:
            return False
        return parts.netloc.lower() == host_header.strip().lower()


def _host_name(header: str | None) -> str | None:
    """The name in a Host header, lower case and without brackets; None if malformed."""
    if not header:
        return None
    value = header.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not _is_port(rest)):
            return None
        return name
    name, colon, port = value.partition(":")
    if colon and not _is_port(":" + port):
        return None
    return name or None


def _is_port(text: str) -> bool:
    digits = text[1:]
    return text.startswith(":") and digits.isdigit() and 0 < int(digits) < 65536
