"""The schema comes from the migrations: they apply from empty, match the models, and go back down."""

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app import create_app
from app.extensions import db


def _fresh_url(tmp_path):
    if os.environ.get("TEST_DATABASE_URL"):
        from tests import pg

        try:
            url = pg.create()
        except Exception as err:  # noqa: BLE001
            pytest.skip(f"cannot create a second PostgreSQL database: {err}")
        return url.replace("postgresql://", "postgresql+psycopg://"), lambda: pg.drop(url)
    return f"sqlite:///{tmp_path / 'migrations.sqlite3'}", lambda: None


def test_upgrade_from_empty_matches_models_and_downgrades(tmp_path, app):
    url, cleanup = _fresh_url(tmp_path)
    fresh = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    try:
        with fresh.app_context():
            from flask_migrate import downgrade, upgrade

            upgrade()
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
                assert diff == [], diff
                tables = set(sa.inspect(conn).get_table_names())
            assert {"organisations", "users", "centers", "patents", "listings", "needs"} <= tables
            downgrade(revision="base")
            with db.engine.connect() as conn:
                assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
            upgrade()
            db.engine.dispose()
    finally:
        cleanup()
