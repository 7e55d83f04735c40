///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS dev.caravan:caravan:0.1.0-SNAPSHOT

// An AI app stack: MongoDB (documents), Redis (cache and queues) and a Chroma vector store on disk,
// backed up daily and kept 7 days. Chroma's chroma.sqlite3 goes in as a consistent snapshot (the
// files source's sqliteSnapshots, on by default), its -wal/-shm left out.
// Each component restores on its own:
//   caravan restore latest --only mongo  --to game_restored                # another database, same server
//   caravan restore latest --only redis  --to redis://127.0.0.1:6380       # a scratch Redis
//   caravan restore latest --only chroma --to /srv/chroma-restored
backup('stack') {
    schedule '@daily'
    timezone 'UTC'

    sources {
        mongo('mongo')   { uri env('MONGO_URI'); database 'app' }
        redis('redis')   { host 'localhost'; port 6379; password env('REDIS_PASSWORD') }
        files('chroma')  { path '/srv/chroma'; exclude '**/*.log' }
    }

    compress 'zstd', level: 6
    encrypt age: env('CARAVAN_AGE_RECIPIENT')

    destinations {
        local('disk')    { path '/var/backups/stack' }
    }

    retention { daily 7 }
    verify { afterUpload true }
}
