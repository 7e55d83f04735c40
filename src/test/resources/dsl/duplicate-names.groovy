backup('nightly') {
    sources {
        files('data') { path '/data/a' }
        files('data') { path '/data/b' }
    }
    destinations {
        local('nas') { path '/mnt/nas' }
        local('nas') { path '/mnt/other' }
    }
}

backup('nightly') {
    sources { files('data') { path '/data/a' } }
    destinations { local('nas') { path '/mnt/nas' } }
}
