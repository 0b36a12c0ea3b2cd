"""`flask import-patents`, `flask import-trademarks`, `flask search-reindex`, `flask search-check`, `flask search-dict`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db


def _run_import(kind: str, file: str, industry: str | None, errors_path: str | None, batch: int, lang: str | None) -> None:
    """The import, its summary and its error file in the configured language (or ``--lang``)."""
    from flask import current_app

    lang = lang or current_app.config["BABEL_DEFAULT_LOCALE"]
    if lang not in current_app.config["LANGUAGES"]:
        raise click.BadParameter(f"unknown language {lang!r}; one of: {', '.join(current_app.config['LANGUAGES'])}")
    with force_locale(lang):
        _import_in_locale(kind, file, industry, errors_path, batch)


def _import_in_locale(kind: str, file: str, industry: str | None, errors_path: str | None, batch: int) -> None:
    from ..models import ImportStatus, Industry
    from ..services import imports
    from .routes import translate

    path = Path(file).resolve()
    if industry and industry not in {i.value for i in Industry}:
        raise click.BadParameter(f"unknown industry {industry!r}; one of: {', '.join(i.value for i in Industry)}")
    job = imports.create_local_job(kind, path, industry or None)
    fmt = imports.detect_format(path) if path.exists() else "csv"
    total = imports.count_rows(path, fmt) if path.exists() else 0
    with click.progressbar(length=max(total, 1), label=f"importing {path.name}", show_pos=True) as bar:
        job = imports.run_job(job.id, progress=bar.update, batch_size=batch)
    if job.status == ImportStatus.FAILED:
        raise click.ClickException(translate(job.message, job.message_params or {}))
    click.echo(_("%(rows)s rows: %(new)s new, %(updated)s updated, %(unchanged)s unchanged, %(errors)s with errors (job %(job)s)",
                 rows=job.processed_rows, new=job.created_rows, updated=job.updated_rows, unchanged=job.unchanged_rows,
                 errors=job.error_rows, job=job.id))
    if job.error_rows:
        out = Path(errors_path) if errors_path else path.with_name(path.stem + ".errors.csv")
        header = [_("Line"), _("Column"), _("Value"), _("Reason")]
        with open(out, "w", encoding="utf-8", newline="") as f:
            for chunk in imports.csv_lines(header, imports.error_rows(job, translate)):
                f.write(chunk)
        click.echo(_("errors written to %(path)s", path=out))
    from ..search import state

    state().indexer.flush(timeout=None)


LANG_HELP = "Language of the messages and the error file (default: BABEL_DEFAULT_LOCALE)."


def register(app: Flask) -> None:
    @app.cli.command("import-patents")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--industry", default=None, help="Industry for rows without one (e.g. carbon_materials).")
    @click.option("--errors", "errors_path", default=None, help="Where to write the error CSV (default FILE.errors.csv).")
    @click.option("--batch", default=500, show_default=True, help="Rows per database transaction.")
    @click.option("--lang", default=None, help=LANG_HELP)
    def import_patents_command(file, industry, errors_path, batch, lang):
        """Import patents from a CSV or XLSX file (Chinese or English headers); upsert by application number."""
        _run_import("patents", file, industry, errors_path, batch, lang)

    @app.cli.command("import-trademarks")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--industry", default=None, help="Industry for rows without one.")
    @click.option("--errors", "errors_path", default=None, help="Where to write the error CSV (default FILE.errors.csv).")
    @click.option("--batch", default=500, show_default=True)
    @click.option("--lang", default=None, help=LANG_HELP)
    def import_trademarks_command(file, industry, errors_path, batch, lang):
        """Import trademarks from a CSV or XLSX file; upsert by registration number."""
        _run_import("trademarks", file, industry, errors_path, batch, lang)

    @app.cli.command("search-reindex")
    @click.option("--procs", default=None, type=int, help="Whoosh writer processes (default SEARCH_BUILD_PROCS).")
    @click.option("--if-stale", is_flag=True, help="Only when the index was built with another analysis "
                  "(dictionaries, glossary, stop words) than this code's.")
    def search_reindex_command(procs, if_stale):
        """Rebuild the search index from the database into a new directory and swap it in."""
        from ..search import analysis, maintenance, state
        from ..search.documents import db_count

        st = state()
        if procs:
            app.config["SEARCH_BUILD_PROCS"] = procs
            st.reset_backend()
        if if_stale and not maintenance.is_stale():
            click.echo(f"search index is current (analysis {analysis.VERSION})")
            return
        total = db_count(db.session)
        with click.progressbar(length=max(total, 1), label=f"indexing ({st.backend.name})", show_pos=True) as bar:
            result = maintenance.reindex(progress=bar.update)
        click.echo(f"{result['documents']} documents indexed; {result['caught_up']} caught up after the swap")

    @app.cli.command("search-dict")
    @click.option("--out", default=None, help="Directory for vocab.txt and mined.txt (default app/search/dict).")
    def search_dict_command(out):
        """Rewrite the analyser's generated word lists (demo vocabulary, frequent title compounds);
        then `flask search-reindex`, as the analysis changed."""
        from ..search import analysis, dictionary

        counts = dictionary.write_lists(db.session, out or analysis.DICT_DIR)
        click.echo(f"{counts['vocab']} vocabulary terms, {counts['mined']} title compounds written; run flask search-reindex")

    @app.cli.command("search-check")
    @click.option("--fix", is_flag=True, help="Write the missing documents and remove the extra ones.")
    def search_check_command(fix):
        """Compare the index with the database (document count and keys); exit 1 when they differ."""
        from ..search import maintenance

        report = maintenance.check()
        click.echo(f"{report.backend}: index {report.index_count} documents, database {report.database_count} rows; "
                   f"{len(report.missing)} missing, {len(report.extra)} extra")
        for key in report.missing[:20]:
            click.echo(f"  missing {key}")
        for key in report.extra[:20]:
            click.echo(f"  extra {key}")
        if report.stale:
            click.echo("  the index was built with another analysis (dictionaries, glossary …): run flask search-reindex")
        if not report.ok:
            if fix and report.stale:
                result = maintenance.reindex()
                click.echo(f"rebuilt: {result['documents']} documents indexed")
                return
            if fix:
                n = maintenance.sync()
                click.echo(f"fixed: {n} documents written or removed")
                return
            raise SystemExit(1)
        click.echo("ok")

