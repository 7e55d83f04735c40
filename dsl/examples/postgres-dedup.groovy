///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS dev.caravan:caravan:0.1.0-SNAPSHOT

// A multi-gigabyte PostgreSQL database that changes a little every day, kept 7 daily,
// 4 weekly and 12 monthly in two places. With dedup each backup stores only the chunks
// that changed since any backup still kept, so the 23 backups take about the space of
// one or two full dumps. Restore with stock tools: docs/dedup.md#with-stock-tools-only
backup('game') {
    schedule '0 3 * * *'
    timezone 'UTC'

    sources {
        postgres('backend') {
            host 'localhost'; database 'game'; user 'backup'; password env('PGPASSWORD')
            format 'plain'                       // uncompressed text: it deduplicates; Caravan compresses each chunk
        }
    }

    compress 'zstd', level: 3
    encrypt age: env('CARAVAN_AGE_RECIPIENT')
    dedup true

    destinations {
        local('nas') { path '/mnt/nas/backups' }
        s3('offsite') { bucket 'game-backups'; region 'eu-central-1' }
    }

    retention { daily 7; weekly 4; monthly 12 }
}
