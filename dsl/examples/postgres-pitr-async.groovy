///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS dev.caravan:caravan:0.1.0-SNAPSHOT

// A busy PostgreSQL with point-in-time recovery: a base backup every night, and every WAL
// segment archived asynchronously. postgresql.conf:
//   archive_mode = on
//   archive_command = '/opt/caravan/bin/caravan-wal-spool /var/lib/caravan/wal-spool/app %p %f'
// The spooler (a shell script, no JVM) puts each segment durably into the spool and returns in
// milliseconds; `caravan run` ships the spool, four segments at a time, to both destinations.
// Restore to a moment: caravan restore FILE latest --to DIR --to-time '2025-10-23 12:00:00+02'.
// See docs/pitr.md.
backup('db') {
    schedule '0 2 * * *'
    sources {
        postgres('app') {
            host 'localhost'; user 'replicator'; password env('PGPASSWORD'); database 'postgres'
            continuous true
            walSpool '/var/lib/caravan/wal-spool/app'   // written by the postgres user, shipped by the service
            walSpoolLimit '4GB'                         // full: archive_command fails, PostgreSQL retries
            walParallel 4
        }
    }
    compress 'zstd', level: 3
    encrypt age: env('CARAVAN_AGE_RECIPIENT')
    destinations {
        local('nas')   { path '/mnt/nas/backups' }
        s3('offsite')  { bucket 'backups'; region 'eu-west-1' }
    }
    retention { daily 7; weekly 4 }
    alerts { on 'failure', 'partial', 'stale', 'wal-spool'; webhook 'https://hooks.example.com/caravan' }
}
