///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS dev.caravan:caravan:0.1.0-SNAPSHOT

backup('nightly') {
    schedule 'every day'
    sources {
        files('chroma') { pth '/data/chroma' }
    }
    compress 'xz', level: 10
    encrypt age: 'age1notarecipient'
    destinations { local('nas') { path '/mnt/nas' } }
    retention { keepLast 3; daly 7; within 'two days' }
    dril { schedule '@weekly' }
}

servce { http port: 9091 }
