namespace Lineage.Metadata.Sqlite;

/// <summary>
/// The SQLite migrations, applied in order at open and recorded in <c>schema_migrations</c>.
/// The same numbered steps as the PostgreSQL schema, in SQLite's types.
/// </summary>
internal static class SqliteSchema
{
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "initial", """
            CREATE TABLE instance (
                id          INTEGER PRIMARY KEY CHECK (id = 1),
                uid         TEXT NOT NULL,
                created_at  TEXT NOT NULL
            );

            -- Access scopes (LaminDB spaces); every row starts in space 1, 'all'.
            CREATE TABLE spaces (
                id          INTEGER PRIMARY KEY,
                uid         TEXT NOT NULL UNIQUE,
                name        TEXT NOT NULL UNIQUE,
                description TEXT,
                created_at  TEXT NOT NULL
            );
            INSERT INTO spaces (id, uid, name, description, created_at)
            VALUES (1, 'A', 'all', 'Everything not restricted to a narrower space', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

            CREATE TABLE storages (
                id           INTEGER PRIMARY KEY,
                uid          TEXT NOT NULL UNIQUE,
                root         TEXT NOT NULL,
                type         TEXT NOT NULL,            -- local | s3
                description  TEXT,
                region       TEXT,
                host         TEXT NOT NULL DEFAULT '', -- machine of a local root; '' for object stores
                instance_uid TEXT,                     -- the writing instance named by the root's marker; NULL when unmanaged
                is_default   INTEGER NOT NULL DEFAULT 0,
                space_id     INTEGER NOT NULL DEFAULT 1 REFERENCES spaces (id),
                created_at   TEXT NOT NULL,
                created_by   TEXT NOT NULL,
                UNIQUE (root, host)
            );

            -- The code that produced artifacts, deduplicated by its version hash.
            CREATE TABLE code_records (
                id               INTEGER PRIMARY KEY,
                code_version     TEXT NOT NULL UNIQUE,
                source_code      TEXT NOT NULL,
                assembly_name    TEXT,
                assembly_version TEXT,
                source_revision  TEXT,
                created_at       TEXT NOT NULL
            );

            CREATE TABLE runs (
                id             INTEGER PRIMARY KEY,
                uid            TEXT NOT NULL UNIQUE,
                code_record_id INTEGER REFERENCES code_records (id),
                started_at     TEXT NOT NULL,
                finished_at    TEXT,
                created_by     TEXT NOT NULL,
                host           TEXT NOT NULL
            );

            -- One row per name holding the last version ever assigned, so versions are never reused.
            CREATE TABLE artifact_names (
                name         TEXT PRIMARY KEY,
                last_version INTEGER NOT NULL
            );

            CREATE TABLE artifacts (
                id             INTEGER PRIMARY KEY,
                uid            TEXT NOT NULL UNIQUE,
                name           TEXT NOT NULL REFERENCES artifact_names (name),
                version        INTEGER NOT NULL CHECK (version >= 1),
                branch         TEXT NOT NULL DEFAULT 'main' CHECK (branch IN ('main', 'trash', 'archive')),
                created_at     TEXT NOT NULL,
                created_by     TEXT NOT NULL,
                host           TEXT NOT NULL,
                size           INTEGER NOT NULL,
                hash           TEXT NOT NULL,
                type_name      TEXT NOT NULL,
                format         TEXT NOT NULL,
                storage_id     INTEGER NOT NULL REFERENCES storages (id),
                key            TEXT NOT NULL,
                is_managed     INTEGER NOT NULL DEFAULT 1, -- 0 for files registered in place
                description    TEXT,
                code_record_id INTEGER REFERENCES code_records (id),
                run_id         INTEGER REFERENCES runs (id),
                space_id       INTEGER NOT NULL DEFAULT 1 REFERENCES spaces (id),
                UNIQUE (name, version)
            );
            CREATE INDEX artifacts_by_branch ON artifacts (name, branch, version);
            CREATE INDEX artifacts_by_storage ON artifacts (storage_id);
            """),
        new(2, "computations", """
            -- GetOrCompute finds a stored result by the code that made it and the inputs it was given;
            -- type_schema lets a load tell an older shape of a type from an incompatible one.
            ALTER TABLE artifacts ADD COLUMN inputs_hash TEXT;
            ALTER TABLE artifacts ADD COLUMN type_schema TEXT;
            CREATE INDEX artifacts_by_computation ON artifacts (name, code_record_id, inputs_hash);
            """),
        new(3, "space_members", """
            -- Who may use a storage location that was moved into a space (LaminDB spaces).
            CREATE TABLE space_members (
                space_id   INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
                user_name  TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (space_id, user_name)
            );
            """),
        new(4, "runs_and_lineage", """
            -- A run is one execution that reads and writes artifacts; every version records the run that saved it (artifacts.run_id).
            ALTER TABLE runs ADD COLUMN name TEXT NOT NULL DEFAULT '';
            ALTER TABLE runs ADD COLUMN status TEXT NOT NULL DEFAULT 'succeeded' CHECK (status IN ('running', 'succeeded', 'failed'));
            ALTER TABLE runs ADD COLUMN is_implicit INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE runs ADD COLUMN entry_assembly TEXT;
            ALTER TABLE runs ADD COLUMN entry_version TEXT;
            ALTER TABLE runs ADD COLUMN source_revision TEXT;
            ALTER TABLE runs ADD COLUMN command_line TEXT;
            ALTER TABLE runs ADD COLUMN parameters TEXT; -- JSON object of strings
            ALTER TABLE runs ADD COLUMN error TEXT;
            CREATE INDEX runs_by_start ON runs (started_at);
            CREATE INDEX artifacts_by_run ON artifacts (run_id);
            CREATE INDEX artifacts_by_content ON artifacts (hash, size);

            -- What declared code reads, found by the compiler: a JSON array of names.
            ALTER TABLE code_records ADD COLUMN upstream TEXT;

            -- The versions a version was computed from. input_id goes NULL when the input is deleted permanently: name and
            -- version stay, a tombstone. exact = 1 for GetOrCompute arguments matched by content hash, 0 for its run's loads.
            CREATE TABLE artifact_inputs (
                artifact_id INTEGER NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
                position    INTEGER NOT NULL,
                input_id    INTEGER REFERENCES artifacts (id) ON DELETE SET NULL,
                name        TEXT NOT NULL,
                version     INTEGER NOT NULL,
                exact       INTEGER NOT NULL,
                PRIMARY KEY (artifact_id, position)
            );
            CREATE INDEX artifact_inputs_by_input ON artifact_inputs (input_id);

            -- The versions loaded inside an explicit run.
            CREATE TABLE run_inputs (
                run_id   INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                input_id INTEGER REFERENCES artifacts (id) ON DELETE SET NULL,
                name     TEXT NOT NULL,
                version  INTEGER NOT NULL,
                PRIMARY KEY (run_id, name, version)
            );
            CREATE INDEX run_inputs_by_input ON run_inputs (input_id);
            """),
        new(5, "catalog", """
            -- Annotations: tags (a JSON array) and metadata (a JSON object of strings, numbers and booleans); description exists since 1.
            ALTER TABLE artifacts ADD COLUMN tags TEXT;
            ALTER TABLE artifacts ADD COLUMN metadata TEXT;

            -- One version per alias per name, held by the key; the history keeps every move (NULL version: created or removed).
            CREATE TABLE aliases (
                name        TEXT NOT NULL,
                alias       TEXT NOT NULL,
                artifact_id INTEGER NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
                set_at      TEXT NOT NULL,
                set_by      TEXT NOT NULL,
                PRIMARY KEY (name, alias)
            );
            CREATE INDEX aliases_by_artifact ON aliases (artifact_id);

            CREATE TABLE alias_history (
                id           INTEGER PRIMARY KEY,
                name         TEXT NOT NULL,
                alias        TEXT NOT NULL,
                from_version INTEGER,
                to_version   INTEGER,
                moved_at     TEXT NOT NULL,
                moved_by     TEXT NOT NULL
            );
            CREATE INDEX alias_history_by_alias ON alias_history (name, alias, moved_at);
            """),
        new(6, "metadata_index", """
            -- Metadata one row per key, typed, so that an index serves Find's comparisons and orderings; artifacts.metadata stays what
            -- a record reads. Exactly one of number, string, flag is set (a JSON number, string, boolean); a key that is missing or
            -- holds null has no row. Saves and annotations write both in one transaction; deleting the version deletes its rows.
            CREATE TABLE artifact_metadata (
                artifact_id INTEGER NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
                key         TEXT NOT NULL,
                number      NUMERIC,
                string      TEXT,
                flag        INTEGER,
                PRIMARY KEY (artifact_id, key)
            ) WITHOUT ROWID;
            CREATE INDEX artifact_metadata_by_number ON artifact_metadata (key, number, artifact_id) WHERE number IS NOT NULL;
            CREATE INDEX artifact_metadata_by_string ON artifact_metadata (key, string, artifact_id) WHERE string IS NOT NULL;
            CREATE INDEX artifact_metadata_by_flag ON artifact_metadata (key, flag, artifact_id) WHERE flag IS NOT NULL;

            INSERT INTO artifact_metadata (artifact_id, key, number, string, flag)
            SELECT a.id, j.key,
                CASE WHEN j.type IN ('integer', 'real') THEN j.value END,
                CASE WHEN j.type = 'text' THEN j.value END,
                CASE j.type WHEN 'true' THEN 1 WHEN 'false' THEN 0 END
            FROM artifacts a, json_each(a.metadata) j
            WHERE a.metadata IS NOT NULL AND json_type(a.metadata) = 'object' AND j.type IN ('integer', 'real', 'text', 'true', 'false');
            """),
        new(7, "shared_values", """
            -- Identical bytes saved to one root are stored once: versions share a value by pointing at the same key. Finding a
            -- value to share (by size, then hash) and counting the versions that point at one (before removing it) use these.
            CREATE INDEX artifacts_by_value ON artifacts (storage_id, key);
            CREATE INDEX artifacts_by_stored_size ON artifacts (storage_id, size);

            -- When a version went to the trash, so that emptying it can keep what was trashed recently. Versions trashed before
            -- this column existed have none: they count as trashed when they were created.
            ALTER TABLE artifacts ADD COLUMN trashed_at TEXT;
            """),
        new(8, "load_checksum", """
            -- A fast checksum (xxh128:<hex>) of each version's value beside its SHA-256: loads verify with it, at memory speed.
            -- Versions saved before this column existed have none and are verified by their SHA-256, as before.
            ALTER TABLE artifacts ADD COLUMN checksum TEXT;
            """),
        new(9, "listing_columns", """
            -- What a listing read with three look-ups per name is kept in columns instead: artifact_names.latest_id, the newest
            -- main-branch version of the name (NULL when it has none), and artifacts.value_shared, 1 when another version (any
            -- branch) points at the same stored value. The triggers below keep both on every write of artifacts, whatever path
            -- makes it (save, delete, trash, restore, purge, retention, a move to another storage location).
            ALTER TABLE artifact_names ADD COLUMN latest_id INTEGER;
            ALTER TABLE artifacts ADD COLUMN value_shared INTEGER NOT NULL DEFAULT 0;

            UPDATE artifact_names SET latest_id =
                (SELECT b.id FROM artifacts b WHERE b.name = artifact_names.name AND b.branch = 'main' ORDER BY b.version DESC LIMIT 1);
            UPDATE artifacts SET value_shared = 1
            WHERE EXISTS (SELECT 1 FROM artifacts o WHERE o.storage_id = artifacts.storage_id AND o.key = artifacts.key AND o.id <> artifacts.id);

            -- The newest version: one seek of artifacts_by_branch for each name a write touched.
            CREATE TRIGGER artifacts_latest_after_insert AFTER INSERT ON artifacts WHEN NEW.branch = 'main'
            BEGIN
                UPDATE artifact_names SET latest_id =
                    (SELECT b.id FROM artifacts b WHERE b.name = NEW.name AND b.branch = 'main' ORDER BY b.version DESC LIMIT 1)
                WHERE name = NEW.name;
            END;
            CREATE TRIGGER artifacts_latest_after_delete AFTER DELETE ON artifacts WHEN OLD.branch = 'main'
            BEGIN
                UPDATE artifact_names SET latest_id =
                    (SELECT b.id FROM artifacts b WHERE b.name = OLD.name AND b.branch = 'main' ORDER BY b.version DESC LIMIT 1)
                WHERE name = OLD.name;
            END;
            CREATE TRIGGER artifacts_latest_after_update AFTER UPDATE OF name, branch, version ON artifacts
            WHEN OLD.name IS NOT NEW.name OR OLD.branch IS NOT NEW.branch OR OLD.version IS NOT NEW.version
            BEGIN
                UPDATE artifact_names SET latest_id =
                    (SELECT b.id FROM artifacts b WHERE b.name = artifact_names.name AND b.branch = 'main' ORDER BY b.version DESC LIMIT 1)
                WHERE name IN (OLD.name, NEW.name);
            END;

            -- The shared flag is the same on every version of one value: 1 when the value has two versions or more. So a version
            -- joining a value flips at most itself and one other (the value's only version until then), and one leaving it at most
            -- the last one left: a write reads two rows of the value, however many versions share it.
            CREATE TRIGGER artifacts_shared_after_insert AFTER INSERT ON artifacts
            WHEN EXISTS (SELECT 1 FROM artifacts o WHERE o.storage_id = NEW.storage_id AND o.key = NEW.key AND o.id <> NEW.id)
            BEGIN
                UPDATE artifacts SET value_shared = 1
                WHERE id IN (NEW.id, (SELECT o.id FROM artifacts o WHERE o.storage_id = NEW.storage_id AND o.key = NEW.key AND o.id <> NEW.id LIMIT 1))
                    AND value_shared = 0;
            END;
            -- A save inserts the flag it expects (its row then is written once); one inserted saying it shares a value alone is corrected.
            CREATE TRIGGER artifacts_shared_after_insert_alone AFTER INSERT ON artifacts
            WHEN NEW.value_shared <> 0 AND NOT EXISTS (SELECT 1 FROM artifacts o WHERE o.storage_id = NEW.storage_id AND o.key = NEW.key AND o.id <> NEW.id)
            BEGIN
                UPDATE artifacts SET value_shared = 0 WHERE id = NEW.id;
            END;
            CREATE TRIGGER artifacts_shared_after_delete AFTER DELETE ON artifacts
            WHEN (SELECT COUNT(*) FROM (SELECT 1 FROM artifacts o WHERE o.storage_id = OLD.storage_id AND o.key = OLD.key LIMIT 2)) = 1
            BEGIN
                UPDATE artifacts SET value_shared = 0 WHERE storage_id = OLD.storage_id AND key = OLD.key;
            END;
            -- A version pointed at another value leaves the old one (as a delete) and joins the new one (as an insert, or alone there).
            CREATE TRIGGER artifacts_shared_after_leaving AFTER UPDATE OF storage_id, key ON artifacts
            WHEN (OLD.storage_id IS NOT NEW.storage_id OR OLD.key IS NOT NEW.key)
                AND (SELECT COUNT(*) FROM (SELECT 1 FROM artifacts o WHERE o.storage_id = OLD.storage_id AND o.key = OLD.key LIMIT 2)) = 1
            BEGIN
                UPDATE artifacts SET value_shared = 0 WHERE storage_id = OLD.storage_id AND key = OLD.key;
            END;
            CREATE TRIGGER artifacts_shared_after_joining AFTER UPDATE OF storage_id, key ON artifacts
            WHEN OLD.storage_id IS NOT NEW.storage_id OR OLD.key IS NOT NEW.key
            BEGIN
                UPDATE artifacts SET value_shared =
                    EXISTS (SELECT 1 FROM artifacts o WHERE o.storage_id = NEW.storage_id AND o.key = NEW.key AND o.id <> NEW.id)
                WHERE id = NEW.id;
                UPDATE artifacts SET value_shared = 1
                WHERE id = (SELECT o.id FROM artifacts o WHERE o.storage_id = NEW.storage_id AND o.key = NEW.key AND o.id <> NEW.id LIMIT 1)
                    AND value_shared = 0;
            END;
            """),
        new(10, "save_indexes", """
            -- A save writes a page of every index on artifacts. artifacts_by_storage (storage_id) is a prefix of artifacts_by_value
            -- (storage_id, key), which serves every look-up it served, foreign-key checks included. artifacts_by_computation serves
            -- only GetOrCompute's look-up, which always gives inputs_hash: a version saved without one (every plain save) needs no entry.
            DROP INDEX artifacts_by_storage;
            DROP INDEX artifacts_by_computation;
            CREATE INDEX artifacts_by_computation ON artifacts (name, code_record_id, inputs_hash) WHERE inputs_hash IS NOT NULL;
            """),
    ];
}
