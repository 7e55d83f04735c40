///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS dev.caravan:caravan:0.1.0-SNAPSHOT
//JAVA 17

def nasRoot = '/mnt/nas'

backup('rpger') {
    schedule '0 2 * * 1-5'
    timezone 'Europe/Berlin'

    sources {
        files('chroma') {
            path '/data2/rpger/chroma'
            exclude '**/*.log', 'cache/**'
            exclude 'tmp/**'
        }
        files('campaigns') { path env('CAMPAIGN_DIR'); include '**/*.json' }
    }

    compress 'xz', level: 9, threads: 2
    encrypt age: ['age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p', env('SECOND_RECIPIENT')]

    destinations {
        local('nas') { path "${nasRoot}/backups" }
        local('usb') { path '/media/usb/backups' }
    }

    retention {
        keepLast 3; hourly 24; daily 7; weekly 4; monthly 12; yearly 3
        within '2d'
        maxTotalSize '1.5TiB'
        label('pre-update') { keepLast 2; within '1w'; maxTotalSize '500 MB' }
    }

    verify { afterUpload false }
}

backup('hourly') {
    schedule every('15m')
    sources { files('config') { path '/etc/rpger' } }
    compress 'none'
    encrypt passphrase: secret('pass.txt')
    destinations { local('nas') { path "${nasRoot}/hourly" } }
}

backup('manual') {
    sources { files('saves') { path '/srv/game/saves' } }
    destinations { local('nas') { path '/mnt/nas/manual' } }
}

service { http port: 9091 }
