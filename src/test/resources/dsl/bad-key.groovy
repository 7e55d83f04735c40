backup('nightly') {
    sources {
        files('chroma') {
            path '/data/chroma'
            exlude '**/*.log'
        }
    }
    destinations { local('nas') { path '/mnt/nas' } }
}
