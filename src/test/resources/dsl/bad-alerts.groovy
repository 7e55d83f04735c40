backup('nightly') {
    sources { files('docs') { path '/srv/docs' } }
    destinations { local('nas') { path '/mnt/nas' } }
    alerts {
        on 'failure', 'stail'
        staleAfter 'a day'
        webhook 'hooks.example.com/T000'
        email { to 'ops@example.com'; smtp 'mail:25' }
    }
}
