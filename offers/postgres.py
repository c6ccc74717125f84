"""Migration operations that only apply to PostgreSQL.

SQLite is the embedded default for newcomers; it gets the same tables but
neither the text search configuration nor the GIN indexes.
"""

from django.db import migrations

from offers.search import SEARCH_CONFIG


class RunSQLOnPostgreSQL(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


# German stemming after removing accents: "Sprachförderung" and "sprachforderung"
# stem alike. to_tsvector(regconfig, text) is immutable, so it may feed a generated column.
create_search_configuration = RunSQLOnPostgreSQL(
    sql=f"""
    CREATE TEXT SEARCH CONFIGURATION {SEARCH_CONFIG} (COPY = pg_catalog.german);
    ALTER TEXT SEARCH CONFIGURATION {SEARCH_CONFIG}
        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, german_stem;
    """,
    reverse_sql=f"DROP TEXT SEARCH CONFIGURATION {SEARCH_CONFIG};",
)


def gin_index(table, column, name, opclass=""):
    return RunSQLOnPostgreSQL(
        sql=f'CREATE INDEX "{name}" ON "{table}" USING gin ("{column}" {opclass});',
        reverse_sql=f'DROP INDEX "{name}";',
    )
