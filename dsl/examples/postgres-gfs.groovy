///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS dev.caravan:caravan:0.1.0-SNAPSHOT

// PostgreSQL in pg_dump's custom format every night, kept grandfather-father-son:
// 7 daily, 4 weekly, 12 monthly and 10 yearly backups. A schema-only dump and one
// important table go alongside, so a single table can be restored without the rest.
backup('lifeos') {
    schedule '0 2 * * *'
    timezone 'UTC'

    sources {
        postgres('app') {
            host 'localhost'; port 5432; database 'life_os'; user 'lifeos'
            password env('PGPASSWORD')
            format 'custom'                      // restore: pg_restore -d life_os app.pgdump
        }
        postgres('schema') {
            host 'localhost'; database 'life_os'; user 'lifeos'; password env('PGPASSWORD')
            format 'plain'; schemaOnly true
        }
        postgres('journal') {
            host 'localhost'; database 'life_os'; user 'lifeos'; password env('PGPASSWORD')
            tables 'public.journal_entries'
        }
    }

    compress 'zstd', level: 3
    encrypt age: env('CARAVAN_AGE_RECIPIENT')

    destinations {
        local('nas') { path '/mnt/nas/backups' }
    }

    retention { daily 7; weekly 4; monthly 12; yearly 10 }

    verify { afterUpload true }

    // failure, partial, stale and recovered alerts to a chat webhook; every event and email: docs/alerts.md
    alerts {
        on 'failure', 'partial', 'stale', 'recovered'
        staleAfter '25h'
        webhook env('CARAVAN_WEBHOOK_URL')
    }
}
