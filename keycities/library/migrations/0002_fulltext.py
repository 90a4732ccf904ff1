"""The full-text index beside library_searchentry, by database:

- PostgreSQL: a generated tsvector column, title weighted A over body B (English stemming), with a GIN index;
- SQLite: an FTS5 table (Porter stemming) with the entry's id as its rowid, kept in step by triggers.

Either way the index changes in the same statement, so in the same transaction, as the entry."""

from django.db import migrations

PG_FORWARD = [
    """ALTER TABLE library_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS (
         setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
         setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'B')) STORED""",
    "CREATE INDEX library_searchentry_vector ON library_searchentry USING gin (vector)",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS library_searchentry_vector", "ALTER TABLE library_searchentry DROP COLUMN vector"]

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE library_search_fts USING fts5(title, body, content='library_searchentry',
         content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER library_search_ai AFTER INSERT ON library_searchentry BEGIN
         INSERT INTO library_search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
    """CREATE TRIGGER library_search_ad AFTER DELETE ON library_searchentry BEGIN
         INSERT INTO library_search_fts(library_search_fts, rowid, title, body)
         VALUES ('delete', old.id, old.title, old.body); END""",
    """CREATE TRIGGER library_search_au AFTER UPDATE ON library_searchentry BEGIN
         INSERT INTO library_search_fts(library_search_fts, rowid, title, body)
         VALUES ('delete', old.id, old.title, old.body);
         INSERT INTO library_search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS library_search_ai",
    "DROP TRIGGER IF EXISTS library_search_ad",
    "DROP TRIGGER IF EXISTS library_search_au",
    "DROP TABLE IF EXISTS library_search_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
