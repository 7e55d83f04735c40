backup('nightly') {
    schedule '0 2 * * *'
    sources { files('docs') { path '/srv/docs' } }
    destinations { local('nas') { path '/mnt/nas' } }
}
service {
    catchUp true
    http host: 'every where', port: 99999, password: 'x', tlsKey: '/etc/caravan/tls.key'
}
