///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS dev.caravan:caravan:0.1.0-SNAPSHOT

// JSON data files beside a PostgreSQL database. Every backup writes manifest.json last, with the
// SHA-256 of each object, and every stored copy is read back against it (verify afterUpload).
// The database also goes out as portable exports (one SQLite file, JSON Lines per table) in the
// same backup. Test restores: `caravan verify --deep` reads every object through its own format
// (pg_restore --list, tar, JSON Lines, SQLite integrity_check); `caravan restore latest --only db
// --to db_restore_test` puts the database next to the live one; `caravan drill` rehearses the whole
// restore into scratch targets and runs the checks below.
backup('records') {
    schedule '0 3 * * *'

    sources {
        files('json')    { path '/srv/records/json'; include '**/*.json' }
        postgres('db')   { host 'localhost'; database 'records'; user 'backup'; password env('PGPASSWORD')
                           export 'sqlite', 'jsonl' }
    }

    compress 'zstd', level: 3

    destinations {
        local('nas')     { path '/mnt/nas/records' }
    }

    retention { daily 14; weekly 8 }
    verify { afterUpload true }

    // every Sunday: restore into a scratch database and directory, and check what came back
    drill {
        schedule '0 5 * * 0'
        check('db', "select count(*) from information_schema.tables where table_schema = 'public'") { atLeast 1 }
        check('json', files: true) { atLeast 1 }
    }
}
