"""Online backups of the SQLite database with the sqlite3 backup API, and restoring one."""
import os
import sqlite3
from pathlib import Path

PAGES_PER_STEP = 4096  # copy in steps so writers are held up for a moment at most


def sqlite_path(url):
    """Return the file path of a sqlite:/// URL, or None for other databases."""
    if not url.startswith("sqlite:///"):
        return None
    return Path(url.split("sqlite:///", 1)[1])


def check(path):
    """Return {table: rows} of a database file after an integrity check; raise ValueError if damaged."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise ValueError(f"integrity check failed: {result}")
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                             "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def _copy(source_path, target_path):
    source = sqlite3.connect(source_path, timeout=30)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target, pages=PAGES_PER_STEP)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        target.close()
        source.close()


def backup(source_path, target_path):
    """Copy a live database to target_path consistently (writers may keep writing); return the row counts."""
    target_path = Path(target_path)
    if target_path.is_dir():
        raise ValueError("the target is a directory; give a file name")
    partial = target_path.with_name(target_path.name + ".partial")
    partial.unlink(missing_ok=True)
    _copy(str(source_path), str(partial))
    counts = check(partial)
    os.replace(partial, target_path)  # never leave a half-written file under the real name
    return counts


def restore(backup_path, database_path):
    """Replace the database with a checked backup (stop the application first); return the row counts."""
    counts = check(backup_path)
    # the backup API writes through SQLite's own locking, so the -wal/-shm files stay valid
    _copy(str(backup_path), str(database_path))
    with sqlite3.connect(database_path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
    return counts
