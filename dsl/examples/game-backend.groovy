///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS dev.caravan:caravan:0.1.0-SNAPSHOT

// A game backend: the SQL database, Redis (sessions, leaderboards), player save files and the
// server config, every 5 minutes (RPO < 5 min) plus a daily plan kept longer. Each component
// restores on its own: `caravan restore latest --only redis --to redis://127.0.0.1:6380`.
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
        local('nas')       { path '/mnt/nas/backups' }
    }

    retention { keepLast 12; hourly 24 }
    verify { afterUpload true }

    // alerts (failure / stale / anomaly, webhook and email) arrive with the service: see docs/alerts.md when it lands
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
