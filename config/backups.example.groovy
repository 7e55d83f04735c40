// The service's plan file: /etc/caravan/backups.groovy (see /opt/caravan/docs/dsl.md).
// Edit it, check it with `/opt/caravan/bin/caravan check /etc/caravan/backups.groovy`; the running
// service reloads it when it changes. This example backs up /etc/caravan itself every night into
// the service's state directory, the one place the unit lets it write without a drop-in.

backup('caravan-config') {
    schedule '@daily'
    sources {
        files('etc-caravan') { path '/etc/caravan' }
    }
    compress 'zstd', level: 3
    destinations {
        local('state') { path '/var/lib/caravan/backups' }
    }
    retention { keepLast 7 }
}
