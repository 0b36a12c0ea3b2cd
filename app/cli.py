"""Flask commands: `flask seed-demo`, `flask create-admin`."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask, current_app

from .extensions import db


def _refresh_all_matches() -> str:
    from sqlalchemy.orm import Session

    from .domain.lifecycle import PublicationStatus
    from .models import Need
    from .services import matching

    with Session(db.engine) as session:
        needs = session.scalars(sa.select(Need.id).where(Need.status == PublicationStatus.PUBLISHED)).all()
        kept = sum(matching.refresh_need(session, i) for i in needs)
    return f"Matches: {len(needs)} needs refreshed, {kept} matches kept"


def register(app: Flask) -> None:
    from .patentdb.commands import register as register_patentdb  # import-patents, search-reindex …

    register_patentdb(app)

    @app.cli.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
    @click.option("--queue", "queues", multiple=True, type=click.Choice(["ipx", "ipx-long"]),
                  help="Only these queues: ipx (refreshes, index writes, reports), ipx-long (imports). Default: both.")
    def worker_command(burst: bool, queues: tuple[str, ...]) -> None:
        """Run background jobs from the Redis queues at JOB_QUEUE_URL / REDIS_URL."""
        from . import jobs

        try:
            jobs.work(burst=burst, queues=list(queues) or None)
        except RuntimeError as err:
            raise click.ClickException(str(err)) from err

    @app.cli.command("expire-patents")
    @click.option("--on", "on", default=None, help="As if today were this date (YYYY-MM-DD, Beijing).")
    def expire_patents_command(on: str | None) -> None:
        """Mark patents past their statutory term as expired and re-check the pools (also runs nightly)."""
        from datetime import date

        from .services import expiry

        try:
            day = date.fromisoformat(on) if on else None
        except ValueError as err:
            raise click.BadParameter("a date like 2026-12-01", param_hint="--on") from err
        click.echo(expiry.expire_patents(day))

    @app.cli.command("refresh-matches")
    def refresh_matches_command() -> None:
        """Recompute the matches of every published need and listing."""
        click.echo(_refresh_all_matches())

    @app.cli.command("send-outbox")
    def send_outbox_command() -> None:
        """Send the queued e-mails: MAIL_SENDER=console prints them, smtp sends them through MAIL_SMTP_*."""
        from .services import matching

        sender = matching.mail_sender(current_app.config, echo=click.echo)
        click.echo(f"{matching.send_outbox(sender)} e-mails sent")

    @app.cli.command("lifecycle-reminders")
    def lifecycle_reminders_command() -> None:
        """Deadline notices (public notice ending, fund-use report due, acceptance due); run daily."""
        from .services.lifecycle import send_reminders

        click.echo(f"Lifecycle reminders sent: {send_reminders()}")

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Do nothing when the database already has organisations.")
    @click.option("--patents", default=2400, show_default=True)
    @click.option("--listings", default=240, show_default=True)
    @click.option("--needs", default=80, show_default=True)
    @click.option("--seed", default=20261125, show_default=True, help="Random seed (same seed, same data).")
    def seed_demo_command(if_empty: bool, patents: int, listings: int, needs: int, seed: int) -> None:
        """Load realistic Chinese demo data: centers, organisations, patents, listings, needs, users."""
        from .demo.seed import seed_demo
        from .models import Organisation
        from werkzeug.security import generate_password_hash

        if db.session.scalar(sa.select(sa.func.count(Organisation.id))):
            if if_empty:
                click.echo("Database already has data; demo seed skipped.")
                return
            raise click.ClickException("the database is not empty; seed-demo only loads into an empty database")
        password = current_app.config["DEMO_PASSWORD"]
        refresh_mode = current_app.config.get("MATCH_REFRESH")
        current_app.config["MATCH_REFRESH"] = "off"  # matched once at the end, not after every batch
        counts = seed_demo(
            db.session,
            password_hash=generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"]),
            patents=patents, listings=listings, needs=needs, seed=seed,
        )
        click.echo("Demo data loaded: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        from .demo.activity import seed_activity

        activity = seed_activity(seed=seed)
        click.echo("Demo activity: " + ", ".join(f"{k} {v}" for k, v in activity.items()))
        current_app.config["MATCH_REFRESH"] = refresh_mode
        click.echo(_refresh_all_matches())
        click.echo(f"Demo users (password {password}): see README.md")

    @app.cli.command("targets-check")
    def targets_check_command() -> None:
        """Recompute every center's counts from its completed deals and compare with the target events."""
        from .models import Center
        from .services import deals as deal_service

        bad = 0
        for center in db.session.scalars(sa.select(Center).order_by(Center.id)):
            events = deal_service.counts_by_year(center.id)
            recount = deal_service.recount_from_deals(center)
            events = {y: n for y, n in events.items() if n}
            status = "ok" if events == recount else "MISMATCH"
            bad += status != "ok"
            click.echo(f"{center.name}: events {dict(sorted(events.items()))} deals {dict(sorted(recount.items()))} {status}")
        unbalanced = deal_service.unbalanced_transactions()
        negative = {a: v for a, v in deal_service.ledger_balances().items() if a.startswith("escrow:") and v < 0}
        click.echo(f"ledger: {len(unbalanced)} unbalanced transactions, {len(negative)} negative escrow accounts")
        if bad or unbalanced or negative:
            raise SystemExit(1)

    @app.cli.command("grade-patents")
    @click.option("--industry", default=None, help="Only this industry (default: all patents).")
    def grade_patents_command(industry: str | None) -> None:
        """Score and grade every patent (A/B/C/D) with the center's weights for its industry."""
        from .models import Patent
        from .services import grading

        total = db.session.scalar(sa.select(sa.func.count(Patent.id)))
        with click.progressbar(length=total, label="grading") as bar:
            result = grading.grade_patents(industry=industry, progress=bar.update)
        click.echo(result)

    @app.cli.command("create-admin")
    @click.option("--email", required=True)
    @click.option("--name", default="Platform admin")
    @click.password_option()
    def create_admin_command(email: str, name: str, password: str) -> None:
        """Create a platform administrator (and the platform's own organisation if missing)."""
        from .domain import passwords
        from .services import accounts

        try:
            user = accounts.create_platform_admin(email, name, password,
                                                  hash_method=current_app.config["PASSWORD_HASH_METHOD"])
        except passwords.PasswordError as err:
            from flask_babel import force_locale

            from .formkit import translate_domain

            with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
                raise click.ClickException(translate_domain(err)) from err
        click.echo(f"Platform admin {user.email} created.")
