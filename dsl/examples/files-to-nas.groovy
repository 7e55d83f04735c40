///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS dev.caravan:caravan:0.1.0-SNAPSHOT

// A small RPG assistant on one host: a vector database's data directory, the JSON campaign
// data and the app's configuration, backed up every night to a NAS mounted at /mnt/nas.
// Caches and logs are left out; everything is zstd-compressed and encrypted to an age key
// whose private half lives off this machine.
//
//   export CARAVAN_AGE_RECIPIENT=age1...     (age-keygen -y key.txt)
//   jbang files-to-nas.groovy check
//   jbang files-to-nas.groovy now

backup('rpger') {
    schedule '30 2 * * *'                 // every night at 02:30
    timezone 'Europe/Berlin'

    sources {
        files('chroma') {                 // the vector DB's data directory
            path '/data2/rpger/chroma'
            exclude '**/*.log', '**/cache/**'
        }
        files('campaigns') {              // campaign data: JSON only
            path '/data2/rpger/campaigns'
            include '**/*.json'
        }
        files('config') {
            path '/etc/rpger'
            exclude '*.log', 'cache/**'
        }
    }

    compress 'zstd', level: 6
    encrypt age: env('CARAVAN_AGE_RECIPIENT')

    destinations {
        local('nas') { path '/mnt/nas/backups/rpger' }
    }

    // Grandfather-father-son: a week of dailies, a month of weeklies, a year of monthlies,
    // plus a few yearlies; keep whatever is newer than two days no matter what.
    retention {
        within '2d'
        daily 7
        weekly 4
        monthly 12
        yearly 3
        label('pre-update') { keepLast 2 }   // caravan now --label pre-update
    }

    verify { afterUpload true }
}
