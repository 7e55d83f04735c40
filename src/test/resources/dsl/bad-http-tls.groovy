backup('nightly') {
    schedule '0 2 * * *'
    sources { files('docs') { path '/srv/docs' } }
    destinations { local('nas') { path '/mnt/nas' } }
}
service {
    http host: '0.0.0.0', port: 9091, user: 'prometheus', tlsCert: '/nonexistent/tls.crt', tlsKey: '/nonexistent/tls.key', prot: 1
}
