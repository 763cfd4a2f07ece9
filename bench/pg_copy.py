"""Copy a benchmark SQLite database into an (emptied) PostgreSQL database, through the models."""
CHUNK = 2000


def copy_sqlite_to(sqlite_path, pg_url):
    """Empty the PostgreSQL database at pg_url, create the schema and copy every non-empty table into it."""
    from admin_app.db import create_schema, open_database
    from models import ALL_MODELS, db

    source = open_database(f"sqlite:///{sqlite_path}")
    target = open_database(pg_url)
    with target.connection_context():
        target.execute_sql("DROP SCHEMA public CASCADE")
        target.execute_sql("CREATE SCHEMA public")
    db.initialize(target)
    with target.connection_context():
        create_schema()
    for model in ALL_MODELS:
        with source.connection_context(), model.bind_ctx(source, bind_refs=False, bind_backrefs=False):
            rows = list(model.select().dicts())
        if not rows:
            continue
        names = list(rows[0])
        with target.connection_context(), target.atomic(), \
                model.bind_ctx(target, bind_refs=False, bind_backrefs=False):
            for start in range(0, len(rows), CHUNK):
                model.insert_many([[row[n] for n in names] for row in rows[start:start + CHUNK]],
                                  fields=[model._meta.fields[n] for n in names]).execute()
            table = model._meta.table_name
            target.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                               f"(SELECT max(id) FROM \"{table}\"))")
        source.close()
    with target.connection_context():
        target.execute_sql("ANALYZE")
