backup('nightly') {
    sources {
        file('chroma') { path '/data/chroma' }
        postgresql('app') { host 'localhost' }
    }
    destinations { local('nas') { path '/mnt/nas' } }
}
