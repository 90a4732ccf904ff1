"""PostgreSQL: rank a bounded set of candidates from a compact vector (ADR 0033, "Latency on PostgreSQL").

Before, `ts_rank` read `vector` (migration 0002: title A and the whole text B) of every matching entry: about
6 KB each, stored out of line (TOAST), so a common word matching 5,000 of 10,000 publications cost 70,000
buffer reads; and the planner, expecting a third of the table to match, read the whole table instead of the GIN
index. Now:

- `vector` and its GIN index still decide what matches (a word deep in a long report still finds it);
- `rank_vector` (generated: the title, A, and the first RANK_BODY characters of the text, B; for a publication its
  Welsh title, summary, authors and the start of its text) is what `ts_rank` reads: at most a few KB, kept in the
  row (storage MAIN), so ranking a match reads no TOAST;
- a GIN index on the title's own `tsvector` finds the entries with the query's words in their title;
- `library_search_candidates(...)` ranks every accessible entry with the words in its title and at most `bound`
  other accessible matches, and returns the best `n` ids with their rank. It runs with sequential scans off (its
  own SET clause, undone when it returns), so the matches are read through the GIN indexes.

All of it is generated or read at query time, so it changes in the statement (and transaction) that writes the
entry. SQLite (FTS5) is unchanged; the index on (is_public, updated_at) is added on both databases."""

from django.db import migrations, models

RANK_BODY = 1000  # characters of the text ranked (index.RANK_BODY)

PG_FORWARD = [
    f"""ALTER TABLE library_searchentry ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS (
         setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
         setweight(to_tsvector('english'::regconfig, left(coalesce(body, ''), {RANK_BODY})), 'B')) STORED""",
    "ALTER TABLE library_searchentry ALTER COLUMN rank_vector SET STORAGE MAIN",
    # The column was filled before its storage was set: write the rows again so that it is kept in the row.
    "UPDATE library_searchentry SET title = title",
    """CREATE INDEX library_searchentry_title_vector ON library_searchentry
         USING gin (to_tsvector('english'::regconfig, title))""",
    """CREATE FUNCTION library_search_candidates(query text, weights real[], sources text[], restricted text[],
                                                n integer, bound integer)
       RETURNS TABLE (id bigint, rank real) LANGUAGE sql STABLE ROWS 200 SET enable_seqscan = off AS $$
         WITH q AS MATERIALIZED (SELECT websearch_to_tsquery('english'::regconfig, query) AS q),
         found AS (
           SELECT m.id, ts_rank(weights, m.rank_vector, q.q) AS rank FROM library_searchentry m, q
           WHERE to_tsvector('english'::regconfig, m.title) @@ q.q
             AND m.source = ANY (sources) AND (m.is_public OR m.source = ANY (restricted))
           UNION
           SELECT * FROM (
             SELECT m.id, ts_rank(weights, m.rank_vector, q.q) AS rank FROM library_searchentry m, q
             WHERE m.vector @@ q.q AND m.source = ANY (sources) AND (m.is_public OR m.source = ANY (restricted))
             LIMIT bound) others)
         SELECT found.id, found.rank FROM found ORDER BY found.rank DESC, found.id LIMIT n
       $$""",
]
PG_BACKWARD = [
    "DROP FUNCTION IF EXISTS library_search_candidates(text, real[], text[], text[], integer, integer)",
    "DROP INDEX IF EXISTS library_searchentry_title_vector",
    "ALTER TABLE library_searchentry DROP COLUMN rank_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0003_publication_welsh_twins")]

    operations = [
        migrations.RunPython(_run({"postgresql": PG_FORWARD}), _run({"postgresql": PG_BACKWARD})),
        # Both databases: the spelling vocabulary's check for a change reads this index, not the table.
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["is_public", "updated_at"], name="search_entry_public_changed"),
        ),
    ]
