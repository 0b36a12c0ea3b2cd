"""Create or drop a throwaway PostgreSQL database for a test run.

`python -m tests.pg create` prints a URL of a new empty database (exit 0), or the reason
PostgreSQL is not usable (exit 3). `python -m tests.pg drop URL` drops it again.
"""

from __future__ import annotations

import os
import secrets
import sys

ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=3)


def create() -> str:
    name = f"ipx_test_{os.getpid()}_{secrets.token_hex(3)}"
    with _connect(ADMIN_URL) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    if not name.startswith("ipx_test_"):
        raise SystemExit(f"refusing to drop {name}: not a test database")
    with _connect(ADMIN_URL) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    if sys.argv[1:2] == ["create"]:
        try:
            print(create())
        except Exception as err:  # noqa: BLE001 - any failure means: no PostgreSQL here
            print(f"PostgreSQL not reachable at {ADMIN_URL} ({type(err).__name__}: {err})".replace("\n", " "))
            sys.exit(3)
    elif sys.argv[1:2] == ["drop"] and len(sys.argv) == 3:
        drop(sys.argv[2])
    else:
        raise SystemExit("usage: python -m tests.pg create | drop URL")
