///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS dev.caravan:caravan:0.1.0-SNAPSHOT

// A game backend: the SQL database, Redis (sessions, leaderboards), player save files and the
// server config, every 5 minutes (RPO < 5 min), encrypted and replicated to S3, Azure and GCS, plus
// a daily plan kept longer; Prometheus metrics on :9091. Each component restores on its own:
// `caravan restore latest --only redis --to redis://127.0.0.1:6380`. A weekly drill restores the
// latest backup into scratch targets and reports the restore time (RTO < 15 min is the goal).
backup('game') {
    schedule every('5m')

    sources {
        postgres('db')     { host 'db.internal'; database 'game'; user 'backup'; password env('PGPASSWORD') }
        redis('redis')     { host 'cache.internal'; port 6379; password env('REDIS_PASSWORD') }
        files('saves')     { path '/srv/game/saves'; exclude '**/*.tmp' }
        files('config')    { path '/etc/game'; exclude 'secrets/**' }
    }

    compress 'zstd', level: 3
    encrypt age: env('CARAVAN_AGE_RECIPIENT')

    destinations {
        local('fast')      { path '/var/backups/game' }
        s3('aws')          { bucket 'game-backups'; region 'eu-west-1'; prefix 'game/' }     // default AWS credential chain
        azure('azure')     { container 'game-backups'; connectionString env('AZURE_STORAGE_CONNECTION_STRING') }
        gcs('gcp')         { bucket 'game-backups-dr'; project 'game-prod' }    // application-default credentials
    }

    retention { keepLast 12; hourly 24 }
    verify { afterUpload true }

    drill {
        schedule '@weekly'
        check('db', "select count(*) from players") { atLeast 1 }
        check('redis', "dbsize") { atLeast 1 }
        check('saves', files: true) { atLeast 1 }
    }

    alerts {
        on 'failure', 'partial', 'stale', 'anomaly', 'recovered', 'drill-failed'
        staleAfter '15m'
        webhook env('CARAVAN_WEBHOOK_URL')
    }
}

backup('game-daily') {
    schedule '@daily'

    sources {
        mysql('accounts')  { host 'db.internal'; database 'accounts'; user 'backup'; password env('MYSQL_PASSWORD') }
        postgres('db')     { host 'db.internal'; database 'game'; user 'backup'; password env('PGPASSWORD'); format 'directory'; jobs 4 }
        redis('redis')     { host 'cache.internal'; password env('REDIS_PASSWORD') }
        files('saves')     { path '/srv/game/saves'; exclude '**/*.tmp' }
        files('config')    { path '/etc/game'; exclude 'secrets/**' }
    }

    compress 'zstd', level: 6
    encrypt age: env('CARAVAN_AGE_RECIPIENT')

    destinations {
        local('nas')       { path '/mnt/nas/backups' }
    }

    retention { daily 7; weekly 4; monthly 6 }
    verify { afterUpload true }
}

service { http port: 9091 }
