///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS dev.caravan:caravan:0.1.0-SNAPSHOT
//GROOVY 4.0.28

// Caravan's quickstart: back up the sample folder next to this file into ./caravan-backups.
//   jbang/caravan check config/quickstart.groovy     validate, show what would run
//   jbang/caravan now   config/quickstart.groovy     take a backup now
//   jbang/caravan list  config/quickstart.groovy     what is there
// Relative paths in a plan are taken from the plan file's folder (here: config/), so this
// works from any working directory. No encryption, so no key is needed to try it.

backup('quickstart') {
    sources {
        files('sample') { path 'quickstart-data'; exclude 'cache/**' }
    }

    compress 'zstd', level: 3

    destinations {
        local('here') { path 'caravan-backups' }
    }

    retention { keepLast 5 }
}
