///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS dev.caravan:caravan:0.1.0-SNAPSHOT

// Every key the plan DSL accepts today, with its default in a comment. docs/dsl.md explains each.
// Source kinds: files, postgres, mysql, redis, mongo, sqlite, command. Destination kinds: local, s3,
// azure, gcs, sftp. This file shows files and local; every kind's options are in docs/dsl.md.

def dataRoot = '/srv/app'                        // plain Groovy variables and "${interpolation}" work

backup('reference') {                             // plan name: [a-z0-9][a-z0-9_-]*, unique in the file

    // When it runs. Default: no schedule, the plan runs only with `caravan now`.
    //   5-field Unix cron '0 2 * * *' | 6/7-field Quartz cron '0 0 2 ? * MON-FRI'
    //   '@hourly' | '@daily' | '@midnight' | '@weekly' | '@monthly' | '@yearly' | every('15m') (s, m, h, d, w)
    schedule '0 2 * * *'

    timezone 'UTC'                                // default: the machine's zone

    sources {
        files('app-data') {
            path "${dataRoot}/data"               // required
            include '**/*.json', '**/*.db'        // optional; repeated calls add up
            exclude '**/*.log'                    // optional
            exclude 'cache/**', 'tmp/**'
        }
        files('app-config') {
            path env('APP_CONFIG_DIR')            // env('X') and secret('/path') work for any option
        }
    }

    // zstd 1..19 (default 3) | gzip 1..9 (6) | xz 0..9 (6) | bzip2 1..9 (9) | none. Default: zstd, level 3.
    compress 'zstd', level: 3, threads: 2         // threads: 0 = automatic

    // Default: no encryption. One recipient, a list, or env()/secret() holding several.
    // Or, instead: encrypt passphrase: secret('/etc/caravan/passphrase')
    encrypt age: ['age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p', env('CARAVAN_AGE_RECIPIENT')]

    destinations {
        local('nas')  { path '/mnt/nas/backups' }  // required
        local('disk') { path '/var/backups/caravan' }
    }

    // Default: keep everything. A count of 0 turns a rule off.
    retention {
        keepLast 3
        hourly 24
        daily 7
        weekly 4
        monthly 12
        yearly 3
        within '2d'                               // s, m, h, d, w
        maxTotalSize '50 GB'                      // B, KB, MB, GB, TB (10^n); KiB, MiB, GiB, TiB (2^n)
        label('pre-update') { keepLast 2 }        // same rules for backups made with --label pre-update
    }

    verify { afterUpload true }                   // default: true

    // Default: every run is a full. A files source then stores only what changed since the last run.
    incremental { full '@weekly' }                // or: fullEvery 7 (a chain of at most 7 backups)

    // Default: events are only logged. Events: failure, partial, stale, anomaly, recovered, reload-refused,
    // drill-failed, rpo-missed, rto-missed, success.
    alerts {
        on 'failure', 'partial', 'stale', 'recovered', 'reload-refused', 'drill-failed', 'rpo-missed', 'rto-missed'   // the default set
        staleAfter '25h'                          // default 25h
        rpo '5m'                                  // optional: the recovery point objective, compared in status and alerted (rpo-missed)
        webhook env('CARAVAN_WEBHOOK_URL')        // JSON POST; or email { to ...; from ...; smtp 'smtp://mail:587' }
    }

    // Default: no drill. `caravan drill FILE` restores the latest backup into scratch targets and checks it.
    drill {
        schedule '@weekly'                        // optional: the service runs it
        rto '15m'                                 // optional: the recovery time objective; a slower restore alerts (rto-missed)
        check('app-data', files: true) { atLeast 1 }   // SQL for postgres, mysql, sqlite; see docs/drills.md
    }
}

service { http host: '127.0.0.1', port: 9091 }    // default: no HTTP endpoint; host defaults to 127.0.0.1
// widened and guarded (the files are read when the plan loads):
// service { http host: '0.0.0.0', port: 9091, user: 'prometheus', password: secret('/etc/caravan/http.pw'),
//                tlsCert: '/etc/caravan/tls.crt', tlsKey: '/etc/caravan/tls.key' }   // or keystore:, keystorePassword:
