backup('nightly') {
    sources { files('docs') { path '/srv/docs' } }
    destinations { local('nas') { path '/mnt/nas' } }
    alerts {
        email { to 'ops@example.com'; from 'caravan@example.com'; smtp 'smtp://mail:587'; user 'caravan' }
    }
}
