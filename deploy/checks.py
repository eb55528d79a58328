"""Checks before a deployment starts: can nginx's worker processes read the folders they are told to serve?

nginx's master runs as root, its workers as an unprivileged user (Debian: ``www-data``). A folder they cannot
read gives a page whose map never appears, with no error on the page (only ``13: Permission denied`` in
nginx's error log). Typical cause: the app and its venv under a home folder with mode 700.

    python -m deploy.checks [--user www-data]

checks the folders of this installation (``deploy.paths``) and exits 1 with one line per problem.
The check reads mode bits, owner and groups (no ACLs); it needs neither nginx nor root.
"""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

NGINX_USER = "www-data"  # Debian's nginx.conf: `user www-data;`


@dataclass(frozen=True)
class Reader:
    """A user as the kernel checks permissions: uid and all its groups."""

    name: str
    uid: int
    gids: frozenset[int]

    @classmethod
    def of(cls, name: str) -> Reader:
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            raise SystemExit(f"Benutzer „{name}“ gibt es auf dieser Maschine nicht (nginx' Arbeitsprozesse laufen "
                             f"unter Debian als {NGINX_USER}; anderer Benutzer: --user NAME).") from None
        groups = {entry.pw_gid} | {g.gr_gid for g in grp.getgrall() if name in g.gr_mem}
        return cls(name, entry.pw_uid, frozenset(groups))

    def may(self, info: os.stat_result, need: int) -> bool:
        """``need``: a combination of 4 (read), 1 (execute/enter), shifted as for 'other'."""
        if self.uid == 0:
            return True
        if info.st_uid == self.uid:
            bits = (info.st_mode >> 6) & 7
        elif info.st_gid in self.gids:
            bits = (info.st_mode >> 3) & 7
        else:
            bits = info.st_mode & 7
        return bits & need == need


def _owner(info: os.stat_result) -> str:
    try:
        return pwd.getpwuid(info.st_uid).pw_name
    except KeyError:
        return str(info.st_uid)


def _problem(reader: Reader, marker: str, folder: Path, path: Path, info: os.stat_result, what: str, fix: str) -> str:
    return (f"nginx (Benutzer {reader.name}) kann {marker} {folder} nicht lesen: {path} ({what}, Rechte "
            f"{stat.filemode(info.st_mode)}, Besitzer {_owner(info)}). Abhilfe: {fix} – oder App und venv unter "
            f"einen Ordner legen, den {reader.name} lesen darf (z. B. /srv/kita).")


def unreadable(folders: dict[str, Path], user: str | Reader = NGINX_USER) -> list[str]:
    """One German message per folder that ``user`` cannot serve: a parent folder it cannot enter, the folder
    itself or something inside it it cannot read. Empty when all is well."""
    reader = user if isinstance(user, Reader) else Reader.of(user)
    problems: list[str] = []
    for marker, folder in folders.items():
        folder = Path(folder).absolute()
        if not folder.is_dir():
            problems.append(f"{marker}: Ordner {folder} fehlt (nginx soll ihn ausliefern). Abhilfe: Pakete "
                            f"installieren (pip install -r requirements.txt) bzw. die App einmal starten.")
            continue
        problem = None
        for parent in reversed(folder.parents):  # "/" first: every folder on the way must let the user in
            info = parent.stat()
            if not reader.may(info, 1):
                problem = _problem(reader, marker, folder, parent, info, "Ordner darf nicht betreten werden",
                                   f"chmod o+x {parent}")
                break
        if problem is None:
            problem = _inside(reader, marker, folder)
        if problem:
            problems.append(problem)
    return problems


def _inside(reader: Reader, marker: str, folder: Path) -> str | None:
    """The first folder (read + enter) or file (read) below ``folder`` the user cannot use."""
    for here, dirs, files in os.walk(folder):
        here_path = Path(here)
        info = here_path.stat()
        if not reader.may(info, 4 | 1):
            return _problem(reader, marker, folder, here_path, info, "Ordner nicht lesbar", f"chmod -R o+rX {folder}")
        for name in files:
            path = here_path / name
            info = path.stat()
            if not reader.may(info, 4):
                return _problem(reader, marker, folder, path, info, "Datei nicht lesbar", f"chmod -R o+rX {folder}")
    return None


def main(argv: list[str] | None = None) -> int:
    from deploy.paths import static_folders

    parser = argparse.ArgumentParser(prog="python -m deploy.checks", description=__doc__.splitlines()[0])
    parser.add_argument("--user", default=NGINX_USER, help=f"Benutzer der nginx-Arbeitsprozesse (Standard {NGINX_USER})")
    args = parser.parse_args(argv)
    problems = unreadable(static_folders(), args.user)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"nginx (Benutzer {args.user}) kann alle Ordner lesen, die es ausliefern soll.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
